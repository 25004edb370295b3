# Raster I/O on GDAL (issue 5, first part): RasterReader/RasterInfo, RasterWriter, RasterGroupSet.
# The tests make their fixtures with GDAL directly, independent of the writer under test.
dw_add_test(test_raster_io LIBS GDAL::GDAL LABELS raster)
dw_add_test(test_raster_writer LABELS raster)
dw_add_test(test_raster_group_set LIBS GDAL::GDAL LABELS raster)
