# Time series tables (issue 6, first part, no LibTorch): CSV/TSV import, series preparation,
# forecast metrics with naive baselines, anomaly alerts.
dw_add_test(test_table_reader LABELS timeseries)
dw_add_test(test_csv_line_parser LABELS timeseries)
dw_add_test(test_series_preparation LABELS timeseries)
dw_add_test(test_forecast_metrics LABELS timeseries)
dw_add_test(test_anomaly_detector LABELS timeseries)
dw_add_benchmark(bench_table_reader)
