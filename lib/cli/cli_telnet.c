/* SPDX-License-Identifier: BSD-3-Clause */
/* The telnet stream's data bytes (cli_telnet.h). */
#include "cli_telnet.h"

#define IAC 255
#define SE 240
#define SB 250
#define WILL 251
#define DONT 254

int
cli_telnet_byte(enum cli_telnet_state *st, unsigned char c)
{
	switch (*st) {
	case CLI_TELNET_DATA:
		if (c != IAC)
			return c;
		*st = CLI_TELNET_IAC;
		break;
	case CLI_TELNET_IAC:
		if (c == IAC) {
			*st = CLI_TELNET_DATA;
			return c;
		}
		*st = c >= WILL && c <= DONT ? CLI_TELNET_OPT :
			c == SB ? CLI_TELNET_SB : CLI_TELNET_DATA;
		break;
	case CLI_TELNET_OPT:
		*st = CLI_TELNET_DATA;
		break;
	case CLI_TELNET_SB:
		if (c == IAC)
			*st = CLI_TELNET_SB_IAC;
		break;
	default: /* IAC inside SB: SE ends it */
		*st = c == SE ? CLI_TELNET_DATA : CLI_TELNET_SB;
		break;
	}
	return -1;
}
