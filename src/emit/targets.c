#include "targets.h"

#include <string.h>

#include "k8s.h"
#include "swarm.h"

static const struct target targets[] = {
	{ "kubernetes", "Kubernetes", "kubernetes/", "kustomization.yaml", k8s_emit },
	{ "swarm", "Docker Swarm", "swarm/", "deploy.sh", swarm_emit },
};

const struct target *
target_find(const char *name)
{
	for (size_t i = 0; name != NULL && i < sizeof targets / sizeof targets[0]; i++)
		if (strcmp(targets[i].name, name) == 0)
			return &targets[i];
	return NULL;
}

const char *
target_names(void)
{
	return "kubernetes or swarm";
}
