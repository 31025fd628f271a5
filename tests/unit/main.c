/* The unit test runner: every suite, one summary line (Check's). */
#include <stdlib.h>

#include "harness.h"

int
main(void)
{
	SRunner *sr = srunner_create(suite_base());
	int failed;

	srunner_add_suite(sr, suite_yaml());
	srunner_add_suite(sr, suite_answers());
	srunner_add_suite(sr, suite_tmpl());
	srunner_add_suite(sr, suite_profiles());
	srunner_add_suite(sr, suite_upstream());
	srunner_add_suite(sr, suite_plan());
	srunner_add_suite(sr, suite_k8s());
	srunner_add_suite(sr, suite_rules());
	srunner_add_suite(sr, suite_swarm());
	srunner_add_suite(sr, suite_probe());
	srunner_add_suite(sr, suite_ssh_facts());
	srunner_add_suite(sr, suite_ssh_mutual());
	srunner_add_suite(sr, suite_wiz());
	srunner_add_suite(sr, suite_wiz_place());
	srunner_add_suite(sr, suite_keys());
	srunner_add_suite(sr, suite_chain());
	srunner_add_suite(sr, suite_migrations());
	srunner_add_suite(sr, suite_upgrade());
	srunner_add_suite(sr, suite_images());
	srunner_add_suite(sr, suite_registry());
	srunner_add_suite(sr, suite_airgap());
	srunner_add_suite(sr, suite_sizing());
	srunner_add_suite(sr, suite_deploy());
	srunner_add_suite(sr, suite_share());
	srunner_add_suite(sr, suite_rules_hosts());
	srunner_add_suite(sr, suite_netpol());
	srunner_add_suite(sr, suite_netpol_egress());
	srunner_add_suite(sr, suite_ignored());
	srunner_add_suite(sr, suite_place());
	srunner_add_suite(sr, suite_secure());
	srunner_add_suite(sr, suite_scale());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
