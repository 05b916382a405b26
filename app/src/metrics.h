// app/src/metrics.h — counters, gauges and latency histograms for `GET /metrics` (Prometheus text
// format, version 0.0.4). Thread-safe; cheap enough to update on every request.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace hearth::app {

class Metrics {
 public:
  // name{labels} += by. labels as Prometheus writes them: method="POST",code="200".
  void count(const std::string& name, const std::string& labels = "", double by = 1);
  // One observation in seconds into a histogram with fixed latency buckets.
  void observe(const std::string& name, const std::string& labels, double seconds);
  // Gauges read when /metrics is rendered (connection state, queue depths).
  void gauge(const std::string& name, const std::string& help, std::function<double()> read);
  void help(const std::string& name, const std::string& type, const std::string& text);
  std::string render() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, double>> counters_;
  std::map<std::string, std::map<std::string, Histogram>> histograms_;
  std::map<std::string, std::pair<std::string, std::function<double()>>> gauges_;
  std::map<std::string, std::pair<std::string, std::string>> help_;  // name -> type, text
};

}  // namespace hearth::app
