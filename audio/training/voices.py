"""The synthetic voices the wake-word model is trained and tested on.

espeak-ng variants are named by their file in espeak-ng-data/voices/!v ("f4" is the one listed
as "female4"), so that no held-out voice enters training under another name.

Held-out voices never appear in training or threshold calibration: the detection rate and false
wakes per hour are measured on them (benchmarks/results/audio.md).
"""

# The shipped model's training list. Nine of its names ("Benjamin", "Caleb", "David", "Ed",
# "Linda", "Paul", "Robert", "Steph", "Zac": the files are lower-case) were not variant files,
# and espeak-ng, which takes an unknown variant silently, spoke them with the language's plain
# voice: they are written as that plain voice (None) so that reproduce.sh rebuilds the shipped
# model from the same audio. Training on all 89 variant files instead (pitches 0.7-1.4) was
# measured worse on the held-out voices (audio/training/README.md).
_ESPEAK_TRAIN_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "f1", "f2", "f3", "klatt", "klatt2", "Alex", "Andrea",
                          None, None, None, None, "Gene", "Henrique", None, "Michael", "Mike", None,
                          None, None, "Storm", None, "grandma", "norbert"]
_ESPEAK_TEST_VARIANTS = ["f4", "f5", "m6", "m7", "klatt3", "Annie", "Hugo", "john", "Lee", "shelby", "travis", "victor"]

TRAIN = ["flite:slt", "flite:rms", "flite:kal"] + \
        ["espeak-ng:%s" % lang + ("+" + v if v else "") for i, v in enumerate(_ESPEAK_TRAIN_VARIANTS)
         for lang in [("en-us", "en", "en-gb-x-rp")[i % 3]]]
TEST_FLITE = ["flite:awb", "flite:kal16"]
TEST_ESPEAK = ["espeak-ng:%s+%s" % (("en-us", "en-gb-scotland", "en-us-nyc")[i % 3], v)
               for i, v in enumerate(_ESPEAK_TEST_VARIANTS)]
TEST = TEST_FLITE + TEST_ESPEAK
