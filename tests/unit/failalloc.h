/*
 * failalloc.h - make allocations fail on purpose, to test what a module does
 * when memory runs out.  The test is linked with FAILALLOC (Makefile:
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc), so every allocation of
 * the objects it links comes here first; cmocka and libc are untouched.
 * Include it in one file of the test binary.
 */
#ifndef TCPTALK_FAILALLOC_H
#define TCPTALK_FAILALLOC_H

#include <stdlib.h>

void	*__real_malloc(size_t);
void	*__real_calloc(size_t, size_t);
void	*__real_realloc(void *, size_t);

static unsigned long failalloc_calls, failalloc_from, failalloc_to;
static unsigned long failalloc_failed;	/* failures handed out so far */

/* The nth allocation from now (1: the next one) and the count - 1 after
 * it fail; failalloc(0, 0) lets everything through again. */
static void
failalloc(unsigned long nth, unsigned long count)
{
	failalloc_calls = 0;
	failalloc_from = nth;
	failalloc_to = nth + count;
	failalloc_failed = 0;
}

static int
failalloc_now(void)
{
	if (failalloc_from == 0)
		return 0;
	failalloc_calls++;
	if (failalloc_calls < failalloc_from || failalloc_calls >= failalloc_to)
		return 0;
	failalloc_failed++;
	return 1;
}

void *
__wrap_malloc(size_t n)
{
	return failalloc_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return failalloc_now() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return failalloc_now() ? NULL : __real_realloc(p, n);
}

#endif
