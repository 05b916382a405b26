#include "metrics.h"

#include <cstdio>

namespace hearth::app {

namespace {

const std::vector<double>& bounds() {
  static const std::vector<double> b = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return b;
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string with(const std::string& labels, const std::string& more) {
  if (labels.empty()) return "{" + more + "}";
  return "{" + labels + "," + more + "}";
}

}  // namespace

void Metrics::count(const std::string& name, const std::string& labels, double by) {
  std::lock_guard lock(mu_);
  counters_[name][labels] += by;
}

void Metrics::observe(const std::string& name, const std::string& labels, double seconds) {
  std::lock_guard lock(mu_);
  Histogram& h = histograms_[name][labels];
  if (h.buckets.empty()) h.buckets.assign(bounds().size(), 0);
  for (size_t i = 0; i < bounds().size(); ++i)
    if (seconds <= bounds()[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::gauge(const std::string& name, const std::string& help, std::function<double()> read) {
  std::lock_guard lock(mu_);
  gauges_[name] = {help, std::move(read)};
}

void Metrics::help(const std::string& name, const std::string& type, const std::string& text) {
  std::lock_guard lock(mu_);
  help_[name] = {type, text};
}

std::string Metrics::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  auto header = [&](const std::string& name, const char* type) {
    auto h = help_.find(name);
    if (h != help_.end()) out += "# HELP " + name + " " + h->second.second + "\n";
    out += "# TYPE " + name + " " + (h != help_.end() ? h->second.first : std::string(type)) + "\n";
  };
  for (const auto& [name, series] : counters_) {
    header(name, "counter");
    for (const auto& [labels, v] : series) out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + num(v) + "\n";
  }
  for (const auto& [name, series] : histograms_) {
    header(name, "histogram");
    for (const auto& [labels, h] : series) {
      for (size_t i = 0; i < bounds().size(); ++i)
        out += name + "_bucket" + with(labels, "le=\"" + num(bounds()[i]) + "\"") + " " + std::to_string(h.buckets[i]) + "\n";
      out += name + "_bucket" + with(labels, "le=\"+Inf\"") + " " + std::to_string(h.count) + "\n";
      out += name + "_sum" + (labels.empty() ? "" : "{" + labels + "}") + " " + num(h.sum) + "\n";
      out += name + "_count" + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(h.count) + "\n";
    }
  }
  for (const auto& [name, g] : gauges_) {
    out += "# HELP " + name + " " + g.first + "\n# TYPE " + name + " gauge\n";
    out += name + " " + num(g.second()) + "\n";
  }
  return out;
}

}  // namespace hearth::app
