/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef TW_CLI_TELNET_H
#define TW_CLI_TELNET_H

/*
 * The telnet stream's data bytes (RFC 854, 855), for the console's own
 * reads (passwords at the login and enable prompts, keys at --More--):
 * IAC commands and option negotiation are skipped, IAC IAC is a 255.
 * Pure, so tests/fuzz/fuzz_cli.c drives what the console runs.
 */

/* Where the decoder is between bytes: start at CLI_TELNET_DATA. */
enum cli_telnet_state {
	CLI_TELNET_DATA,
	CLI_TELNET_IAC,         /* after IAC */
	CLI_TELNET_OPT,         /* WILL/WONT/DO/DONT: the option byte */
	CLI_TELNET_SB,          /* in a subnegotiation */
	CLI_TELNET_SB_IAC,      /* IAC inside it: SE ends it */
};

/* One byte c of the stream: the data byte it makes (0-255), or -1. */
int cli_telnet_byte(enum cli_telnet_state *st, unsigned char c);

#endif /* TW_CLI_TELNET_H */
