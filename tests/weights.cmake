# The pretrained-weights registry, its cache and downloader (against a local HTTP server,
# never the internet), and 'deepwb weights'.
dw_add_test(test_pretrained_weights LABELS weights)
dw_add_test(test_weight_cache LABELS weights)
dw_add_test(test_weight_download LABELS weights)
dw_add_test(test_cli_weights LABELS weights)
add_dependencies(test_cli_weights deepwb)
set_tests_properties(test_weight_download test_cli_weights PROPERTIES TIMEOUT 180)
