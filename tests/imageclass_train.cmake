# Training machinery (core/ml: schedules, early stopping, history) and the image classifier
# trainer (plugins/imageclass/train).
dw_add_test(test_lr_schedule)
dw_add_test(test_early_stopping)
dw_add_test(test_training_history)
