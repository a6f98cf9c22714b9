// The honest measure (measure.h) written out: the Markdown section that heads
// the evaluation report (classifier accuracy per set with Bach's floor, the
// tonal measures beside Bach's, what separates each set from Bach) and the
// same numbers as JSON.
#pragma once

#include <sstream>

#include <nlohmann/json.hpp>

#include "eval/measure.h"

namespace dq::eval {

// Appends the measure's sections to `md`; nothing when report.bach_pieces is 0.
void write_measure_markdown(std::ostringstream& md, const MeasureReport& report);

// Every number of the measure, for report.json's "measure" key.
nlohmann::ordered_json measure_json(const MeasureReport& report);

}  // namespace dq::eval
