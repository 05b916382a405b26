"""The synthetic voices the wake-word model is trained and tested on.

Held-out voices never appear in training or threshold calibration: the detection rate and false
wakes per hour are measured on them (benchmarks/results/audio.md).
"""

_ESPEAK_TRAIN_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "f1", "f2", "f3", "klatt", "klatt2", "Alex", "Andrea",
                          "Benjamin", "Caleb", "David", "Ed", "Gene", "Henrique", "Linda", "Michael", "Mike", "Paul",
                          "Robert", "Steph", "Storm", "Zac", "grandma", "norbert"]
_ESPEAK_TEST_VARIANTS = ["f4", "f5", "m6", "m7", "klatt3", "Annie", "Hugo", "John", "Lee", "shelby", "travis", "victor"]

TRAIN = ["flite:slt", "flite:rms", "flite:kal"] + \
        ["espeak-ng:%s+%s" % (lang, v) for i, v in enumerate(_ESPEAK_TRAIN_VARIANTS)
         for lang in [("en-us", "en", "en-gb-x-rp")[i % 3]]]
# Calibration of the threshold: training voices with other speeds and noise (see train_wake.py).
TEST_FLITE = ["flite:awb", "flite:kal16"]
TEST_ESPEAK = ["espeak-ng:%s+%s" % (("en-us", "en-gb-scotland", "en-us-nyc")[i % 3], v)
               for i, v in enumerate(_ESPEAK_TEST_VARIANTS)]
TEST = TEST_FLITE + TEST_ESPEAK
