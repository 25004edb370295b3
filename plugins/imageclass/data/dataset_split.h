#pragma once
// Which samples train, which validate, which test: positions into a dataset's samples.
#include <QJsonObject>

#include <vector>

namespace dw::imageclass {

struct SplitFractions {
    double train = 0.70;
    double validation = 0.15;
    double test = 0.15;
};

struct DatasetSplit {
    std::vector<int> train;
    std::vector<int> validation;
    std::vector<int> test;

    std::size_t total() const { return train.size() + validation.size() + test.size(); }
    QJsonObject toJson() const;  // the counts
};

}  // namespace dw::imageclass
