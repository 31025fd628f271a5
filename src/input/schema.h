/*
 * Table-driven decoding of YAML mappings into C structs, and back.
 *
 * A struct is described by an array of `struct field` (terminated by a
 * field with key NULL); the same table validates on load, reports unknown
 * keys with a suggestion, records where each value came from, and writes the
 * struct out again on save. Answers files and release profiles both use it.
 * This header holds the types; schema_decode.c reads YAML into objects
 * (and fills in defaults), schema_object.c initialises, frees and encodes
 * them.
 */
#ifndef SHS_SCHEMA_H
#define SHS_SCHEMA_H

#include <limits.h>
#include <stddef.h>

#include "err.h"
#include "kvlist.h"
#include "srcmap.h"
#include "xmem.h"
#include "ynode.h"

#define UNSET_INT	LONG_MIN	/* an integer field that was not given */
#define UNSET_BOOL	(-1)		/* a boolean field that was not given */

enum secret_kind { SECRET_NONE, SECRET_PLAIN, SECRET_ENV, SECRET_FILE };

/* A password, key or token: given inline, or named by where to read it. */
struct secret {
	enum secret_kind kind;
	char		*value;	/* the text, the variable name or the path (owned) */
};

/* An array of decoded structs (FT_LIST, FT_DICT). */
struct objlist {
	void	*v;	/* n elements of the table's `size` bytes (owned) */
	size_t	 n;
};

enum ftype {
	FT_STR,		/* char * */
	FT_INT,		/* long; aux: const struct int_range * (optional) */
	FT_BOOL,	/* int: UNSET_BOOL, 0 or 1 */
	FT_ENUM,	/* char *; aux: NULL-terminated const char *const [] */
	FT_SECRET,	/* struct secret: "text", {env: NAME} or {file: PATH} */
	FT_STRLIST,	/* struct strlist; aux: NULL-terminated choices (optional) */
	FT_HOSTPORTS,	/* struct strlist of HOST:PORT */
	FT_ARGV,	/* struct strlist: a list, or one string split at spaces */
	FT_KV,		/* struct kvlist: a mapping of single values */
	FT_MAP,		/* a nested struct; aux: const struct table * */
	FT_LIST,	/* struct objlist of structs; aux: const struct table * */
	FT_DICT,	/* struct objlist keyed by name; the element's first
			 * member is `char *name`; aux: const struct table * */
};

/* Checks on top of the type. */
#define F_REQUIRED	0x01	/* must be present */
#define F_HOST		0x02	/* a host name or IP address */
#define F_URL		0x04	/* starts with http:// or https:// */
#define F_EMAIL		0x08	/* has an @ */
#define F_DNS_LABEL	0x10	/* a Kubernetes-style name: [a-z0-9-], <= 63 */
#define F_NONEMPTY	0x20	/* a string or list that must not be empty */
#define F_DNS_NAME	0x40	/* a DNS name: lower-case labels joined by . */
#define F_ABS_PATH	0x80	/* an absolute path of plain characters */
#define F_USER		0x100	/* a login name */
#define F_REGISTRY	0x200	/* a registry host[:port][/path] */
#define F_EMPTY_DEFAULT	0x400	/* "" means the default (FT_STR) */
#define F_CIDR		0x800	/* an address range: 10.0.0.0/8, fd00::/8 */
#define F_CPU		0x1000	/* a CPU quantity: 250m, 0.5, 2 */
#define F_MEMORY	0x2000	/* a memory quantity: 512Mi, 1Gi, 1G */
/* A Kubernetes label key ([prefix/]name) and value; on FT_KV, the keys
 * and the values of the mapping. */
#define F_LABEL_KEY	0x4000
#define F_LABEL_VALUE	0x8000

struct int_range {
	long	min, max;
};

struct field;

struct table {
	const struct field	*fields;
	size_t			 size;	/* sizeof the element struct */
};

/*
 * One key of a mapping. For the answers file this is the only definition of
 * the answer: its type and allowed values (aux, in the order a choice is
 * offered), its checks, its default and what leaving it out means. The plan
 * applies `def` (answers_resolve), and the wizard shows it; the help text of
 * the field is keyed by its dotted path (assets/help/wizard.yaml).
 */
struct field {
	const char	*key;
	enum ftype	 type;
	size_t		 off;
	const void	*aux;
	unsigned	 flags;
	const char	*def;	/* the default, written as the answer would be
				 * ("5432"); NULL: none, or one that other
				 * answers decide (then `unset` says how) */
	const char	*unset;	/* what leaving it out means, for people
				 * ("none: public images"); NULL: `def` says it */
};

struct decoder {
	const char	*file;	/* for messages */
	struct srcmap	*map;	/* positions are recorded here (may be NULL) */
	struct err	*e;	/* problems are appended here */
	struct strlist	*paths;	/* the field path of each problem (may be NULL) */
};

/* schema_decode.c */

/*
 * Decodes mapping `node` into `obj` (zeroed by the caller and then filled
 * with the "unset" values by schema_init()). Every problem found is appended
 * to d->e as "FILE:LINE:COL: path: what was expected"; returns -1 if any.
 */
int	schema_decode(const struct field *fields, void *obj,
	    const struct ynode *node, const char *path, struct decoder *d);

/* Validates one value for the field at a dotted `path` (as schema_field_at),
 * decoding it into the scratch object `obj`; -1 with e's message naming
 * the path and what was expected. */
int	schema_check_at(const struct field *fields, void *obj, const char *path,
	    const struct ynode *n, const char *file, struct err *e);

/* schema_defaults.c */

/* The field at a dotted path ("postgres.port", "services.web.replicas",
 * "hosts[0].port"), or NULL; borrowed from the table. */
const struct field *schema_field_at(const struct field *fields, const char *path);
/* Gives every field of `obj` that is not set its default (`def`), in
 * nested mappings and in every element of lists too. */
void	schema_fill_defaults(const struct field *fields, void *obj);

/* schema_object.c */

/* Sets every field of `obj` to its "unset" value. */
void	schema_init(const struct field *fields, void *obj);
/* Frees what the fields of `obj` own (not obj itself). */
void	schema_free(const struct field *fields, void *obj);
/* A mapping holding every field that is set; the caller owns it. */
struct ynode *schema_encode(const struct field *fields, const void *obj);

/* Frees what a secret owns and leaves it SECRET_NONE. */
void	secret_free(struct secret *s);

/* Element i of an objlist whose elements are `size` bytes. */
#define OBJ_AT(list, size, i)	((void *)((char *)(list)->v + (size) * (i)))

#endif
