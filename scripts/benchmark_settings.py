"""Settings of ``make benchmark``: the product's own, read from the same environment, with one
change: the URLs also hold the bare views the benchmark compares each page with (see
``benchmark_urls``). Never used to serve readers."""

from helpcenter.settings import *  # noqa: F403 - the product's settings, unchanged

ROOT_URLCONF = "benchmark_urls"
