/* count.h - for the unit tests: how often a needle occurs in a string. */
#ifndef TCPTALK_TEST_COUNT_H
#define TCPTALK_TEST_COUNT_H

#include <string.h>

static inline int
count_of(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

#endif
