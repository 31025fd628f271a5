/*
 * Threads of the core (the probes, the wizard's background checks). They
 * never take the signals meant for the program: SIGINT, SIGTERM, SIGHUP
 * and SIGWINCH reach only the thread that started them (the terminal's), so
 * that a signal never interrupts libpq or librdkafka half-way and the
 * handler that restores the terminal always runs where it should.
 */
#ifndef SHS_THREAD_H
#define SHS_THREAD_H

/* Starts fn(arg) in a detached thread with those signals blocked: 0, or
 * pthread_create's error number (then nothing was started). */
int	thread_start_detached(void *(*fn)(void *), void *arg);

#endif
