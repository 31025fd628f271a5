/*
 * The wizard's own reading of escape sequences (ui/keyseq.c) and its line
 * editor (ui/edit.c): the parts of the terminal UI that need no terminal.
 */
#include <string.h>

#include "edit.h"
#include "harness.h"
#include "keyseq.h"

static enum keyseq_state
decode(const char *bytes, enum ui_action *a)
{
	return keyseq_decode(bytes, strlen(bytes), a);
}

/* What PuTTY, xterm, rxvt, the linux console and tmux send, whatever
 * TERM says. */
START_TEST(every_terminal_s_keys_are_known)
{
	static const struct {
		const char	*bytes;
		enum ui_action	 action;
	} keys[] = {
		{ "[1~", UA_HOME }, { "[4~", UA_END }, { "[5~", UA_PAGE_UP },
		{ "[6~", UA_PAGE_DOWN }, { "[Z", UA_PREV }, { "[H", UA_HOME },
		{ "[F", UA_END }, { "OH", UA_HOME }, { "OF", UA_END },
		{ "[7~", UA_HOME }, { "[8~", UA_END }, { "[3~", UA_DELETE },
		{ "OA", UA_UP }, { "[B", UA_DOWN }, { "[1;5C", UA_RIGHT },
		{ "[1;2D", UA_LEFT }, { "[6;5~", UA_PAGE_DOWN }, { "OP", UA_HELP },
		{ "[11~", UA_HELP }, { "[[A", UA_HELP }, { "[21~", UA_QUIT },
	};
	enum ui_action a;

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		ck_assert_msg(decode(keys[i].bytes, &a) == KS_KEY, "ESC%s",
		    keys[i].bytes);
		ck_assert_msg(a == keys[i].action, "ESC%s: action %d, expected %d",
		    keys[i].bytes, a, keys[i].action);
	}
}
END_TEST

/* An unknown sequence is swallowed whole, never typed; one that has only
 * begun asks for more; Esc alone is Esc. */
START_TEST(unknown_sequences_are_swallowed)
{
	enum ui_action a;

	ck_assert_int_eq(decode("[2~", &a), KS_SWALLOWED);
	ck_assert_int_eq(decode("[200~", &a), KS_SWALLOWED);
	ck_assert_int_eq(decode("[?1;2c", &a), KS_SWALLOWED);
	ck_assert_int_eq(decode("x", &a), KS_SWALLOWED);
	ck_assert_int_eq(decode("[", &a), KS_MORE);
	ck_assert_int_eq(decode("[1", &a), KS_MORE);
	ck_assert_int_eq(decode("[1;5", &a), KS_MORE);
	ck_assert_int_eq(decode("O", &a), KS_MORE);
	ck_assert_int_eq(decode("", &a), KS_ESC);
	ck_assert_int_eq(decode("[11111111111111", &a), KS_SWALLOWED);
}
END_TEST

/* Ctrl-U, Ctrl-W and Ctrl-K, as in a shell. */
START_TEST(the_editor_kills_as_a_shell_does)
{
	struct edit e = { 0 };

	edit_load(&e, "postgres.host", "pg one.internal", 0);
	edit_kill_word(&e);
	ck_assert_str_eq(e.text.s, "pg ");
	edit_kill_word(&e);
	ck_assert_str_eq(e.text.s, "");
	edit_load(&e, "postgres.host", "pg.internal", 0);
	edit_home(&e);
	edit_right(&e);
	edit_right(&e);
	edit_kill_end(&e);
	ck_assert_str_eq(e.text.s, "pg");
	edit_insert(&e, "-x");
	edit_left(&e);
	edit_kill_line(&e);
	ck_assert_str_eq(e.text.s, "x");
	ck_assert_uint_eq(e.cursor, 0);
	edit_free(&e);
}
END_TEST

Suite *
suite_keys(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, every_terminal_s_keys_are_known);
	tcase_add_test(tc, unknown_sequences_are_swallowed);
	tcase_add_test(tc, the_editor_kills_as_a_shell_does);
	suite_add_tcase(s, tc);
	return s;
}
