/*
 * The flows of a plan (plan_flows.h): the Ingress controller to the entry
 * point, DNS for every pod, each process to the services named in its
 * configuration, to the middleware its image uses, and to the Internet
 * where the deployment needs it.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "plan_flows.h"

/* Cluster DNS: kube-system's pods labelled k8s-app: kube-dns. Both kube-dns
 * and CoreDNS keep that label for compatibility, so no answer names it. */
#define DNS_NAMESPACE	"kube-system"
#define DNS_APP		"kube-dns"

static int
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
same_end(const struct flow_end *a, const struct flow_end *b)
{
	return a->kind == b->kind && same_str(a->name, b->name) &&
	    same_str(a->app, b->app);
}

/* "10.0.0.5/32" for an IP literal, NULL for a DNS name (owned). */
static char *
host_cidr(const char *host)
{
	unsigned char buf[16];

	if (host == NULL)
		return NULL;
	if (inet_pton(AF_INET, host, buf) == 1)
		return xasprintf("%s/32", host);
	if (inet_pton(AF_INET6, host, buf) == 1)
		return xasprintf("%s/128", host);
	return NULL;
}

static struct flow_end
copy_end(const struct flow_end *e)
{
	struct flow_end c;

	memset(&c, 0, sizeof c);
	c.kind = e->kind;
	c.name = xstrdup(e->name);
	c.app = xstrdup(e->app);
	if (e->kind == FLOW_ADDRESS)
		c.cidr = host_cidr(e->name);
	else if (e->kind == FLOW_RANGE)
		c.cidr = xstrdup(e->name);
	sl_copy(&c.except, &e->except);
	return c;
}

void
plan_flows_add(struct plan_flows *f, struct flow_end from, struct flow_end to,
    long port, const char *protocol, char *why)
{
	struct plan_flow *fl;

	for (size_t i = 0; i < f->n; i++)
		if (same_end(&f->v[i].from, &from) &&
		    same_end(&f->v[i].to, &to) && f->v[i].port == port &&
		    strcmp(f->v[i].protocol, protocol) == 0) {
			free(why);
			return;
		}
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 32;
		f->v = xrealloc(f->v, f->cap * sizeof *f->v);
	}
	fl = &f->v[f->n++];
	fl->from = copy_end(&from);
	fl->to = copy_end(&to);
	fl->port = port;
	fl->protocol = protocol;
	fl->why = why;
}

struct flow_end
flow_end_of(enum flow_kind kind, const char *name, const char *app)
{
	struct flow_end e;

	memset(&e, 0, sizeof e);
	e.kind = kind;
	e.name = (char *)name;
	e.app = (char *)app;
	return e;
}

struct flow_end
flow_service_end(const char *name)
{
	return flow_end_of(FLOW_SERVICE, name, NULL);
}

/* Adds s -> r:PORT over TCP; takes `why`. */
static void
between(struct plan_flows *out, const struct plan_service *s,
    const struct plan_service *r, long port, char *why)
{
	plan_flows_add(out, flow_service_end(s->name), flow_service_end(r->name),
	    port, "TCP", why);
}

/* ---- service to service: what each process is configured to call ---- */

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	    c == '.' || c == '_';
}

/* Does `text` name `needle` ("web:9000") as a whole, not "sentry-web:90001"?
 * With `replica`, it may follow "NAME-0.": one replica's headless name. */
static int
names(const char *text, const char *needle, int replica)
{
	size_t len = strlen(needle);

	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		if ((p == text || !name_char(p[-1]) ||
		    (replica && p[-1] == '.')) &&
		    !(p[len] >= '0' && p[len] <= '9'))
			return 1;
	return 0;
}

/* Does `text` call service r on port: by its Service, or by a replica's
 * own name (NAME-0.NAME-headless:PORT, a stateful-per-replica service)? */
static int
calls(const char *text, const struct plan_service *r, long port)
{
	char *needle = xasprintf("%s:%ld", r->name, port);
	int found = names(text, needle, 0);

	free(needle);
	if (!found && r->role == ROLE_STATEFUL_PER_REPLICA) {
		needle = xasprintf("%s" PEERS_SUFFIX ":%ld", r->name, port);
		found = names(text, needle, 1);
		free(needle);
	}
	return found;
}

/*
 * Settings that name a service without the process calling it: Sentry's
 * own URL, which it hands to others (Symbolicator: see implied[]) and puts
 * into links, is no call from every Sentry process to web.
 */
static const char *const not_calls[] = { "system.internal-url-prefix" };

static int
is_call(const char *line)
{
	for (size_t i = 0; i < sizeof not_calls / sizeof not_calls[0]; i++)
		if (strstr(line, not_calls[i]) != NULL)
			return 0;
	return 1;
}

/* Adds s -> every service of the plan that `line` names by HOST:PORT. */
static void
scan_line(const struct plan *pl, const struct plan_service *s,
    const char *text, const char *where, struct plan_flows *out)
{
	for (size_t i = 0; is_call(text) && i < pl->nservices; i++) {
		const struct plan_service *r = &pl->services[i];

		/* A service's pods do not call each other here: its own name in
		 * its configuration (web's internal URL) is not a flow. */
		if (r == s || r->role == ROLE_SCHEDULED)
			continue;
		for (size_t j = 0; j < r->prof->ports.n; j++) {
			const struct prof_port *pp = OBJ_AT(&r->prof->ports,
			    sizeof *pp, j);

			if (calls(text, r, pp->port))
				between(out, s, r, pp->port, xasprintf(
				    "%s:%ld in %s", r->name, pp->port, where));
		}
	}
}

/* scan_line() for each line of `text` (NULL: none). */
static void
scan(const struct plan *pl, const struct plan_service *s, const char *text,
    const char *where, struct plan_flows *out)
{
	while (text != NULL && *text != '\0') {
		size_t len = strcspn(text, "\n");
		char *line = xstrndup(text, len);

		scan_line(pl, s, line, where, out);
		free(line);
		text += len + (text[len] == '\n');
	}
}

static void
scan_service(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	char *args = sl_join(&s->args, " "), *cmd = sl_join(&s->command, " ");

	scan(pl, s, args, "its arguments", out);
	scan(pl, s, cmd, "its command", out);
	free(args);
	free(cmd);
	for (size_t i = 0; i < s->nenv; i++) {
		char *where = xasprintf("its environment (%s)", s->env[i].name);

		scan(pl, s, s->env[i].value, where, out);
		free(where);
	}
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct plan_volume *v;

		v = plan_volume(pl, s->mounts[i].volume);
		for (size_t j = 0; v != NULL && v->backing == BACK_CONFIG &&
		    j < v->nfiles; j++) {
			char *where = xasprintf("%s (%s)", v->files[j].name,
			    v->name);

			scan(pl, s, v->files[j].content, where, out);
			free(where);
		}
	}
}

/* Calls that no configuration of the caller shows. */
static const struct { const char *image, *to, *why; } implied[] = {
	/* Sentry's "sentry" symbol source (sentry/lang/native/sources.py,
	 * get_internal_source) is a URL under system.internal-url-prefix,
	 * which Symbolicator fetches debug files from. */
	{ "symbolicator", "web", "Sentry's own debug files, which Sentry hands "
	  "it as a source under system.internal-url-prefix" },
};

static void
add_implied(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	for (size_t i = 0; i < sizeof implied / sizeof implied[0]; i++) {
		const struct plan_service *r = plan_service(pl, implied[i].to);
		const struct prof_port *pp;

		/* Only the serving processes: not symbolicator's cleanup. */
		if (!plan_uses_image(s, implied[i].image) || r == NULL ||
		    r->prof->ports.n == 0 || s->prof->ports.n == 0)
			continue;
		pp = OBJ_AT(&r->prof->ports, sizeof *pp, 0);
		between(out, s, r, pp->port, xstrdup(implied[i].why));
	}
}

/* ---- the plan ---- */

static void
add_edges(const struct plan *pl, struct plan_flows *out)
{
	struct flow_end every = flow_end_of(FLOW_EVERY_POD, NULL, NULL);
	struct flow_end dns = flow_end_of(FLOW_NAMESPACE, DNS_NAMESPACE, DNS_APP);
	const struct plan_service *entry = plan_service(pl, "nginx");

	plan_flows_add(out, every, dns, 53, "UDP", xstrdup("DNS"));
	plan_flows_add(out, every, dns, 53, "TCP",
	    xstrdup("DNS (large answers)"));
	if (entry == NULL)
		entry = plan_service(pl, "web");
	if (pl->target.ingress_host != NULL && entry != NULL &&
	    entry->prof->ports.n > 0) {
		const struct prof_port *pp = OBJ_AT(&entry->prof->ports,
		    sizeof *pp, 0);
		struct flow_end ctl = flow_end_of(FLOW_NAMESPACE,
		    pl->target.ingress_namespace, NULL);

		plan_flows_add(out, ctl, flow_service_end(entry->name),
		    pp->port, "TCP", xstrdup("the Ingress controller "
		    "(target.ingress_namespace)"));
	}
}

static void
add_sender(const struct plan *pl, const struct plan_service *s,
    struct plan_flows *out)
{
	scan_service(pl, s, out);
	add_implied(pl, s, out);
	plan_flows_middleware(pl, s, out);
	plan_flows_internet(pl, s, out);
}

void
plan_flows_build(const struct plan *pl, struct plan_flows *out)
{
	add_edges(pl, out);
	for (size_t i = 0; i < pl->nservices; i++)
		add_sender(pl, &pl->services[i], out);
	for (size_t i = 0; i < pl->nmigrations; i++)
		add_sender(pl, &pl->migrations[i], out);
}

void
plan_flows_free(struct plan_flows *f)
{
	for (size_t i = 0; i < f->n; i++) {
		struct flow_end *ends[] = { &f->v[i].from, &f->v[i].to };

		for (size_t j = 0; j < 2; j++) {
			free(ends[j]->name);
			free(ends[j]->app);
			free(ends[j]->cidr);
			sl_free(&ends[j]->except);
		}
		free(f->v[i].why);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}
