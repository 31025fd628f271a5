/*
 * The wizard, as the command line starts it. No curses in this header:
 * src/main.c includes it.
 */
#ifndef SHS_UI_WIZARD_H
#define SHS_UI_WIZARD_H

/* Runs the wizard on `answers_path` (created or resumed), with the output
 * going to `out_dir`; returns the exit status. */
int	ui_wizard(const char *data_dir, const char *answers_path,
	    const char *out_dir);

#endif
