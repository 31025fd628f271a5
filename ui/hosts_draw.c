/*
 * Drawing the Hosts screen from the state: the intro when it fits, a row
 * per host (marked ok or !! by the last Test and the problems found on
 * Next), the buttons, and under them either the host being edited or the
 * selected host's result with what it learnt of the machine. Nothing is
 * drawn past ui_body_end().
 */
#include "hosts.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The panel under the buttons: the editor's title, its fields and a
 * note; a result uses what is left. */
#define PANEL_ROWS	7
/* Under the list: the position or a blank, the buttons, a blank, and the
 * panel. */
#define BELOW		(3 + PANEL_ROWS)

/* The columns of a row, after the mark: name, address, port, user; the
 * roles take the rest. */
static const int widths[] = { 14, 22, 5, 10 };
#define NCOLUMNS	(int)(sizeof widths / sizeof widths[0])

/* The last Test's result for `host`, or NULL. */
static const struct probe_result *
result_of(int host)
{
	char *field = xasprintf("hosts[%d].address", host);
	const struct probe_result *r = NULL;

	for (size_t i = 0; r == NULL && i < ui.results.n; i++)
		if (ui.results.v[i].field != NULL &&
		    strcmp(ui.results.v[i].field, field) == 0)
			r = &ui.results.v[i];
	free(field);
	return r;
}

static int
has_problem(int host)
{
	char *prefix = xasprintf("hosts[%d].", host);
	int found = 0;

	for (size_t i = 0; !found && i < ui.problems.n; i++)
		found = strncmp(ui.problems.v[i].path, prefix, strlen(prefix)) == 0;
	free(prefix);
	return found;
}

/* `text` in `width` columns and a blank: padded, or cut with a mark (a
 * cut address must not read as a whole one). The texts are ASCII: the
 * answers' checks allow no other in a host's fields. */
static void
cell(struct strbuf *sb, const char *text, int width)
{
	int len = (int)strlen(text);

	if (len <= width)
		sb_printf(sb, "%-*s ", width, text);
	else
		sb_printf(sb, "%.*s%s ", width - 1, text, ui.utf8 ? "\u2026" : "~");
}

static void
draw_row(int y, int host)
{
	const struct probe_result *r = result_of(host);
	int bad = has_problem(host) || (r != NULL && r->failure != PF_NONE &&
	    r->failure != PF_SKIPPED);
	enum ui_role role = host == ui.focus ? UR_FOCUS : UR_NORMAL;
	struct strbuf line = STRBUF_INIT;

	/* An unset port or user as the answers' default says (22, root); the
	 * last column, the roles, as long as it is. */
	for (int k = 0; k < hosts_nfields(); k++) {
		char *v = hosts_value(host, k);
		const char *def = wiz_field_hint(hosts_field(k));
		const char *shown = v[0] || def == NULL ? v : def;

		if (k < NCOLUMNS)
			cell(&line, shown, widths[k]);
		else
			sb_add(&line, shown);
		free(v);
	}
	attrset(theme_attr(role));
	mvhline(y, 2, ' ', ui.cols - 4);
	draw_text(y, 2, 3, bad ? UR_ERROR : UR_OK, bad ? "!!" : r ? "ok" : "");
	draw_clipped(y, 5, ui.cols - 7, role, sb_str(&line));
	sb_free(&line);
}

static void
draw_header(int y)
{
	static const char *const names[] = { "Name", "Address", "Port", "User" };
	struct strbuf line = STRBUF_INIT;

	for (int k = 0; k < NCOLUMNS; k++)
		cell(&line, names[k], widths[k]);
	sb_add(&line, "Roles");
	draw_text(y, 5, ui.cols - 7, UR_DIM, sb_str(&line));
	sb_free(&line);
}

/* The problem found on Next at field k of the edited host, or NULL. */
static const char *
problem_at(int k)
{
	char *path = hosts_path(ui.hosts.host, k);
	const char *found = NULL;

	for (size_t i = 0; found == NULL && i < ui.problems.n; i++)
		if (strcmp(ui.problems.v[i].path, path) == 0)
			found = ui.problems.v[i].message;
	free(path);
	return found;
}

/* What a list of choices takes, under the focused field (the roles). */
static void
draw_note(int y, int k)
{
	struct strlist choices = { 0 };
	const char *problem = problem_at(k);

	if (problem != NULL) {
		char *said = xasprintf("%s: %s", hosts_field(k)->label, problem);

		draw_clipped(y, LABEL_COLS + 2, ui.cols - LABEL_COLS - 4, UR_ERROR,
		    said);
		free(said);
		return;
	}
	wiz_field_choices(&ui.w, hosts_field(k), &choices);
	if (choices.n > 0) {
		char *list = sl_join(&choices, ", ");
		char *note = xasprintf("any of: %s", list);

		draw_clipped(y, LABEL_COLS + 2, ui.cols - LABEL_COLS - 4, UR_DIM,
		    note);
		free(note);
		free(list);
	}
	sl_free(&choices);
}

/* Field k of the edited host at row y, drawn as a form's field: the
 * table's field with the element's own path. */
static void
draw_field(int y, int k)
{
	struct wiz_field f = *hosts_field(k);
	char *path = hosts_path(ui.hosts.host, k);
	int focus = k == ui.hosts.field;

	f.path = path;
	draw_text(y, 2, LABEL_COLS, focus ? UR_TITLE : UR_NORMAL, f.label);
	form_draw_value(y, &f, focus);
	free(path);
}

static void
draw_editor(int y)
{
	int host = ui.hosts.host, n = hosts_count();
	char *title = host < n ? xasprintf("Host %d of %d", host + 1, n) :
	    xstrdup("A new host (made by its first field)");

	draw_text(y++, 2, ui.cols - 4, UR_TITLE, title);
	free(title);
	for (int k = 0; k < hosts_nfields(); k++)
		if (k != ui.hosts.field)
			draw_field(y + k, k);
	draw_note(y + hosts_nfields(), ui.hosts.field);
	/* The focused field last, so that the cursor stays in it. */
	draw_field(y + ui.hosts.field, ui.hosts.field);
}

static void
draw_buttons(int y)
{
	int x = 2, n = hosts_count();

	for (int b = 0; b < HB_COUNT; b++) {
		draw_button(y, x, hosts_button_label(b), ui.hosts.host < 0 &&
		    ui.focus == n + b);
		x += (int)strlen(hosts_button_label(b)) + 6;
	}
	if (ui.task.job != NULL)
		draw_text(y, x + 2, ui.cols - x - 4, UR_WARN, ui_task_progress());
}

/* The selected host's result, or every result when no host is. */
static void
draw_results(int y, int rows)
{
	const struct probe_result *r = ui.focus < hosts_count() ?
	    result_of(ui.focus) : NULL;

	if (!ui.have_results)
		return;
	if (r != NULL)
		ui_draw_result(y, rows, r);
	else if (ui.focus >= hosts_count())
		ui_draw_results(y, rows);
}

/* The first row of the header: under the intro when the intro, the list
 * and the panel all fit, a result with twice the panel's rows (a host's
 * facts come after its login); else the help has the intro. */
static int
draw_intro(int end)
{
	const char *intro = wiz_help(&ui.w, "screen hosts");
	int rows = draw_wrapped_rows(intro, ui.cols - 4);
	int n = hosts_count() > 0 ? hosts_count() : 1;
	int more = ui.have_results && ui.hosts.host < 0 ? PANEL_ROWS : 0;

	if (2 + rows + 2 + n + BELOW + more - 1 > end)
		return 2;
	draw_wrapped(2, 2, ui.cols - 4, rows, UR_DIM, intro);
	return 2 + rows + 1;
}

void
hosts_draw(void)
{
	int end = ui_body_end(), n = hosts_count(), y = draw_intro(end), rows;

	draw_header(y++);
	/* The rows the hosts need, as far as the panel leaves them. */
	rows = n > 0 ? n : 1;
	if (rows > end - y - BELOW + 1)
		rows = end - y - BELOW + 1;
	if (rows < 1)
		rows = 1;
	ui_keep_in_view(n, rows);
	if (n == 0)
		draw_text(y, 5, ui.cols - 7, UR_DIM, "No hosts yet: Add one for "
		    "each Swarm node this machine reaches over SSH.");
	for (int i = ui.scroll; i < n && i < ui.scroll + rows; i++)
		draw_row(y + i - ui.scroll, i);
	list_draw_position(y + rows, n, rows);
	y += rows + 1;
	draw_buttons(y);
	if (ui.hosts.host >= 0)
		draw_editor(y + 2);
	else
		draw_results(y + 2, end - y - 1);
}
