# The module catalog (core/catalog): manifests, DEEP metadata import, scanning, the list
# model and its filter, module archives.
dw_add_test(test_manifest LABELS catalog)
dw_add_test(test_deep_metadata LABELS catalog)
dw_add_test(test_catalog LABELS catalog)
dw_add_test(test_catalog_model LABELS catalog)
dw_add_test(test_catalog_filter_proxy LABELS catalog)
# The hostile archives are made in the test with libarchive's writer.
dw_add_test(test_module_archive LIBS LibArchive::LibArchive LABELS catalog)
dw_add_benchmark(bench_catalog_scan)
# Atomic, checked writes on a full disk (a file-size limit) and the one-writer lock of a module.
dw_add_test(test_file_commit LABELS catalog)
