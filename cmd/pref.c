/* SPDX-License-Identifier: MIT */
/*
 * pref - run a prefkit command by its short name (SPEC 3.10):
 * "pref NAME ARGS..." runs "pref-NAME ARGS...", "pref --list" lists the
 * commands, "pref help NAME" opens the command's man page.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The man page of pref-NAME as a file of the source tree when this pref
 * runs from the build tree, before installation (PK_BUILD_DIR and
 * PK_SOURCE_MAN_DIR are set by the build): 1 with its path in out. */
static int build_tree_page(const char *self, const char *page, char *out,
			   size_t n)
{
#if defined(PK_BUILD_DIR) && defined(PK_SOURCE_MAN_DIR)
	char exe[PATH_MAX], build[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (k > 0)
		exe[k] = '\0';
	else if (!strchr(self, '/') || !realpath(self, exe))
		return 0;
	if (!(slash = strrchr(exe, '/')))
		return 0;
	*slash = '\0';
	if (!realpath(PK_BUILD_DIR, build) || strcmp(exe, build) != 0)
		return 0;
	snprintf(out, n, "%s/%s.1", PK_SOURCE_MAN_DIR, page);
	return access(out, R_OK) == 0;
#else
	(void)self;
	(void)page;
	(void)out;
	(void)n;
	return 0;
#endif
}

static const struct {
	const char *name;
	const char *what;
} commands[] = {
	{"cat", "read anything, write validated compact JSON Lines"},
	{"check", "validate a dataset for CI"},
	{"ches", "CHES similarity scores; filter pairs too alike to learn from"},
	{"convert", "convert foreign formats (HH-RLHF, UltraFeedback, OpenAssistant, ...)"},
	{"curriculum", "order pairs easy to hard (Curry-DPO)"},
	{"dedup", "drop repeated records"},
	{"expand", "ranked lists and trees into pairs or step trees"},
	{"flip", "flip factuality-misordered pairs, add F-DPO margins"},
	{"relabel", "reward-conditioned relabeling (Reward-Augmented DPO)"},
	{"split", "train/test split and shards by prompt group"},
	{"stats", "what is in a dataset"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp, int status)
{
	fputs("Usage: pref COMMAND [ARG]...\n"
	      "       pref --list\n"
	      "       pref help COMMAND\n",
	      fp);
	if (status != 0)
		return;
	fputs("\nRun the prefkit command pref-COMMAND with the given arguments.\n"
	      "  -l, --list      list the installed commands with one line each\n"
	      "  -h, --help      show this help and exit\n"
	      "  -V, --version   show the version and exit\n"
	      "\nExit status: that of the command; 2 for misuse of pref itself.\n",
	      fp);
}

/* Is pref-NAME there to run?  Look beside this program, then in PATH. */
static int find_command(const char *self, const char *name, char *out,
			size_t outsz)
{
	const char *slash = strrchr(self, '/');

	if (slash) {
		snprintf(out, outsz, "%.*s/pref-%s", (int)(slash - self), self,
			 name);
		if (access(out, X_OK) == 0)
			return 1;
	}
	snprintf(out, outsz, "pref-%s", name);
	return 0;
}

static int list_commands(const char *self)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		int here = find_command(self, commands[i].name, path, sizeof path);

		if (!here) {
			/* Not beside us: is it anywhere in PATH? */
			char cmd[PATH_MAX + 32];

			snprintf(cmd, sizeof cmd, "command -v pref-%s >/dev/null 2>&1",
				 commands[i].name);
			if (system(cmd) != 0)
				continue;
		}
		printf("%-12s %s\n", commands[i].name, commands[i].what);
	}
	return ferror(stdout) ? PK_EXIT_ERROR : PK_EXIT_OK;
}

static int valid_name(const char *name)
{
	return *name && strspn(name, "abcdefghijklmnopqrstuvwxyz-") == strlen(name);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	const char *name;

	if (argc < 2) {
		usage(stderr, PK_EXIT_ERROR);
		return PK_EXIT_ERROR;
	}
	name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
		usage(stdout, PK_EXIT_OK);
		return fflush(stdout) ? PK_EXIT_ERROR : PK_EXIT_OK;
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version")) {
		printf("pref (prefkit) %s\n", PACKAGE_VERSION);
		return fflush(stdout) ? PK_EXIT_ERROR : PK_EXIT_OK;
	}
	if (!strcmp(name, "-l") || !strcmp(name, "--list"))
		return list_commands(argv[0]);
	if (!strcmp(name, "help")) {
		char page[64];

		if (argc != 3 || !valid_name(argv[2])) {
			usage(stderr, PK_EXIT_ERROR);
			return PK_EXIT_ERROR;
		}
		snprintf(page, sizeof page, "pref-%s", argv[2]);
		if (build_tree_page(argv[0], page, path, sizeof path))
			execlp("man", "man", "-l", path, (char *)NULL);
		else
			execlp("man", "man", page, (char *)NULL);
		fprintf(stderr, "pref: man: %s\n", strerror(errno));
		return PK_EXIT_ERROR;
	}
	if (name[0] == '-' || !valid_name(name)) {
		fprintf(stderr, "pref: unknown option or command '%s'\n"
			"Try 'pref --help' for more information.\n", name);
		return PK_EXIT_ERROR;
	}
	argv[1] = path;
	if (find_command(argv[0], name, path, sizeof path))
		execv(path, argv + 1);
	else
		execvp(path, argv + 1);
	fprintf(stderr, "pref: '%s' is not a prefkit command (pref-%s: %s)\n"
		"Try 'pref --list'.\n", name, name, strerror(errno));
	return PK_EXIT_ERROR;
}
