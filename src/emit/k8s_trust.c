/*
 * Private CAs on Kubernetes. No image can be told to add a CA to its own
 * roots at start without a root shell, and some have no shell at all, so
 * each pod starts with an init container of the Sentry image (which has a
 * shell and Debian's roots) that writes those roots and the answers' CAs
 * into one bundle on an emptyDir; every container then sees that file at
 * the standard path.
 */
#include "k8s.h"
#include "plan.h"

#define TRUST_VOLUME	"ca-trust"
#define CA_DIR		"/etc/sentry-ha/ca"
#define TRUST_DIR	"/etc/sentry-ha/trust"

static struct ynode *
mount(const char *volume, const char *path, const char *sub_path)
{
	struct ynode *m = yn_map();

	yn_set_str(m, "name", volume);
	yn_set_str(m, "mountPath", path);
	if (sub_path != NULL)
		yn_set_str(m, "subPath", sub_path);
	yn_map_set(m, "readOnly", yn_bool(1));
	return m;
}

void
k8s_trust_pod(const struct plan *pl, struct ynode *spec, struct ynode *c)
{
	struct ynode *init, *cmd, *mounts, *vols, *v, *req;

	if (pl->tls.ca_pem == NULL)
		return;
	init = yn_seq_add(yn_set_seq(spec, "initContainers"), yn_map());
	yn_set_str(init, "name", "ca-bundle");
	yn_set_str(init, "image", pl->tls.helper_image);
	yn_set_str(init, "imagePullPolicy", "IfNotPresent");
	cmd = yn_set_seq(init, "command");
	yn_seq_add(cmd, yn_str("sh"));
	yn_seq_add(cmd, yn_str("-c"));
	yn_seq_add(cmd, yn_quoted("cat " CA_BUNDLE_PATH " " CA_DIR "/" CA_FILE
	    " >" TRUST_DIR "/bundle.crt"));
	mounts = yn_set_seq(init, "volumeMounts");
	yn_seq_add(mounts, mount(CA_VOLUME, CA_DIR, NULL));
	v = yn_seq_add(mounts, yn_map());
	yn_set_str(v, "name", TRUST_VOLUME);
	yn_set_str(v, "mountPath", TRUST_DIR);
	req = yn_set_map(yn_set_map(init, "resources"), "requests");
	yn_map_set(req, "cpu", yn_quoted("10m"));
	yn_map_set(req, "memory", yn_quoted("32Mi"));

	mounts = yn_get(c, "volumeMounts");
	if (mounts == NULL)
		mounts = yn_set_seq(c, "volumeMounts");
	yn_seq_add(mounts, mount(TRUST_VOLUME, CA_BUNDLE_PATH, "bundle.crt"));

	vols = yn_get(spec, "volumes");
	if (vols == NULL)
		vols = yn_set_seq(spec, "volumes");
	v = yn_seq_add(vols, yn_map());
	yn_set_str(v, "name", CA_VOLUME);
	yn_set_str(yn_set_map(v, "configMap"), "name", CA_VOLUME);
	v = yn_seq_add(vols, yn_map());
	yn_set_str(v, "name", TRUST_VOLUME);
	yn_set_map(v, "emptyDir");
}
