/* verify_cli.h — `obrady verify BOARD.json`: checks a secret vote's bulletin
 * board offline and prints a summary or the exact failure. */
#ifndef OBR_VERIFY_CLI_H
#define OBR_VERIFY_CLI_H

/* argv holds the arguments after "verify". Returns the process exit code:
 * 0 verified, 1 a check failed or the file is unreadable, 2 usage. */
int verify_cli_main(int argc, char **argv);

#endif
