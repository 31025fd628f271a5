/* Detached threads that leave the program's signals alone (thread.h). */
#include "thread.h"

#include <pthread.h>
#include <signal.h>

int
thread_start_detached(void *(*fn)(void *), void *arg)
{
	sigset_t block, old;
	pthread_attr_t attr;
	pthread_t tid;
	int rc;

	/* A new thread inherits the mask it is created with. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&tid, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
