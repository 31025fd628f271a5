/*
 * A small YAML document tree shared by the loaders (answers, profiles) and the
 * emitters (manifests). Parsing and emitting go through libyaml; this file
 * only holds the tree.
 *
 * Ownership: a node owns its text, its items and its pairs. yn_map_set() and
 * yn_seq_add() take ownership of the node they are given.
 */
#ifndef SHS_YNODE_H
#define SHS_YNODE_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "xmem.h"

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

/* How a scalar is written out (parsed scalars are Y_STR). */
enum ytype {
	YT_STR,		/* a string: plain when unambiguous, else double-quoted */
	YT_RAW,		/* a number or boolean: always plain */
	YT_BLOCK,	/* a multi-line text: literal block (|) when possible */
	YT_QUOTED,	/* a string that is always double-quoted */
};

struct ypair;

struct ynode {
	enum ykind	 kind;
	enum ytype	 type;
	int		 line, col;	/* 1-based position in the source; 0 if built */
	int		 quoted;	/* scalar was written quoted or as a block */
	char		*text;		/* scalar text (owned) */
	struct ynode	**items;	/* sequence items (owned) */
	struct ypair	*pairs;		/* mapping pairs (owned), in source order */
	size_t		 n, cap;
};

struct ypair {
	char		*key;		/* owned */
	int		 line, col;	/* position of the key */
	struct ynode	*val;		/* owned */
};

/* New nodes, owned by the caller until added to a mapping or sequence
 * (which then owns them). */
struct ynode	*yn_map(void);
struct ynode	*yn_seq(void);
struct ynode	*yn_str(const char *s);		/* copies s */
struct ynode	*yn_quoted(const char *s);	/* copies s */
struct ynode	*yn_block(const char *s);	/* copies s */
struct ynode	*yn_int(long v);
struct ynode	*yn_bool(int v);
/* A sequence of strings. */
struct ynode	*yn_strseq(const struct strlist *l);

/* Appends; takes `val`. Returns val for chaining. */
struct ynode	*yn_map_set(struct ynode *map, const char *key, struct ynode *val);
struct ynode	*yn_seq_add(struct ynode *seq, struct ynode *val);
/* map[key] = val, replacing the value of an existing key (takes val). */
struct ynode	*yn_map_put(struct ynode *map, const char *key, struct ynode *val);
/* Removes map[key] if it is there. */
void		 yn_map_del(struct ynode *map, const char *key);
/* Shortcuts: map[key] = string / integer / new map / new sequence (the
 * new node is returned, owned by map). */
void		 yn_set_str(struct ynode *map, const char *key, const char *s);
void		 yn_set_int(struct ynode *map, const char *key, long v);
struct ynode	*yn_set_map(struct ynode *map, const char *key);
struct ynode	*yn_set_seq(struct ynode *map, const char *key);

/* Borrowed pointer to map[key] or NULL. */
struct ynode	*yn_get(const struct ynode *map, const char *key);
/* Borrowed scalar text at a dotted path ("spec.template.metadata"), or NULL. */
const char	*yn_path_text(const struct ynode *root, const char *dotted);
/* Borrowed node at a dotted path, or NULL. */
struct ynode	*yn_path(const struct ynode *root, const char *dotted);

/* A deep copy; the caller owns it. */
struct ynode	*yn_copy(const struct ynode *n);
/* Scalars read plain from a file are written plain again: a port written
 * as 5432 must not come back as "5432". */
void		 yn_keep_plain(struct ynode *n);
/* Do two trees say the same: the same scalars' texts, the same items in
 * order, the same keys with the same values in any order? Where each node
 * came from, and how it was quoted, does not matter. */
int		 yn_equal(const struct ynode *a, const struct ynode *b);
/* Number of nodes in the tree (used to bound alias expansion). */
size_t		 yn_count(const struct ynode *n);
void		 yn_free(struct ynode *n);

/* The name of a kind for messages: "a mapping", "a list", "a scalar"
 * (static). */
const char	*yn_kind_name(enum ykind k);

#define YP_MULTI	0x1	/* accept several documents; root is a sequence of them */

/*
 * Parses YAML text. `name` is used in messages (usually the file path).
 * On success *root is owned by the caller (NULL for an empty document).
 * Rejects duplicate keys, non-scalar keys, nesting deeper than 64 levels and
 * alias expansion beyond 100000 nodes (alias bombs), each with FILE:LINE:COL.
 */
int	yaml_parse(const char *text, size_t len, const char *name, int flags,
	    struct ynode **root, struct err *e);
int	yaml_parse_file(const char *path, int flags, struct ynode **root,
	    struct err *e);

/* Writes `doc` as YAML (one document) into `out`. With YP_MULTI, `doc` is a
 * sequence of documents, written with --- separators. */
int	yaml_emit(const struct ynode *doc, int flags, struct strbuf *out,
	    struct err *e);
/* `header` (comment lines, or "") and `doc`, written to `path` atomically
 * with `mode` (fsutil.h). */
int	yaml_save(const char *path, const char *header, const struct ynode *doc,
	    mode_t mode, struct err *e);

#endif
