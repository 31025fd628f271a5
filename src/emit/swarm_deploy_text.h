/*
 * The fixed parts of deploy.sh (swarm_deploy_text.c), assembled with the
 * deployment's own by swarm_deploy.c. Each is a printf format where its
 * comment names arguments; "%%" stands for a literal percent sign there.
 */
#ifndef SHS_SWARM_DEPLOY_TEXT_H
#define SHS_SWARM_DEPLOY_TEXT_H

/* Format: the release, the stack prefix, the volumes' digest. */
extern const char deploy_prologue[];
/* Format: the stacks and the volumes, each " NAME" joined. */
extern const char deploy_volume_guard[];
/* Format: the reserved millicores and MiB, per node the same, the
 * headroom the same. */
extern const char deploy_capacity[];
/* No arguments. */
extern const char deploy_helpers[];
/* Format: the image whose CA roots start the bundle. */
extern const char deploy_trust_helper[];

#endif
