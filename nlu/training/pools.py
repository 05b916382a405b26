"""Name and value pools for the corpus generator.

Every pool is split by a stable hash of each entry (split_of): about one entry in five belongs to
the held-out test split only, so the names a user has are, like test names, unseen in training.
"""
import itertools
import zlib


def split_of(text, salt=""):
    """'test' for about one string in five, 'train' otherwise; stable across runs and machines."""
    return "test" if zlib.crc32((salt + text).encode()) % 5 == 0 else "train"


def by_split(entries, salt=""):
    out = {"train": [], "test": []}
    for e in dict.fromkeys(entries):  # de-duplicated, order kept
        out[split_of(e, salt)].append(e)
    return out


PERSONS = """emma olivia ava sophia mia amelia harper evelyn abigail emily ella luna chloe grace zoe nora
lily hannah aria layla riley leah maya sarah anna ruby alice clara julia rose ivy jack liam noah
oliver elijah james william ben lucas henry alex ethan daniel matt leo owen sam theo max jacob
logan dylan nathan isaac ryan adam tom mike david paul mark peter john chris kevin brian nick
grandma grandpa mom dad""".split()

AREA_BASE = """kitchen|living room|bedroom|master bedroom|main bedroom|guest room|guest bedroom|office|
home office|study|den|family room|dining room|bathroom|master bathroom|guest bathroom|hallway|hall|
entryway|foyer|garage|basement|attic|laundry room|utility room|nursery|kids room|playroom|porch|
front porch|back porch|patio|deck|garden|backyard|front yard|driveway|balcony|sunroom|conservatory|
pantry|closet|walk in closet|mudroom|workshop|gym|library|media room|game room|loft|
upstairs hallway|downstairs bathroom|lounge|sitting room|spare room|shed|pool house|wine cellar|
staircase|landing|breakfast nook|reading nook|craft room|music room|cinema room|boot room|
back garden|front garden|courtyard|terrace|greenhouse|cellar|upstairs bathroom|en suite|
second bedroom|third bedroom|toy room|server room|studio|barn|carport|side yard|vestibule""".replace("\n", "").split("|")

AREAS = [a.strip() for a in AREA_BASE if a.strip()] + [p + "'s room" for p in PERSONS[:40]] + \
        [p + "'s bedroom" for p in PERSONS[40:60]]

FLOORS = ["ground floor", "first floor", "second floor", "third floor", "upstairs", "downstairs",
          "top floor", "main floor", "upper floor", "lower level", "lower floor", "middle floor"]

_LIGHT_MODS = """desk floor reading ceiling bedside table corner accent wall pendant porch hallway vanity
night strip pool garden island sofa piano bookshelf window mirror closet stair patio deck driveway
path tree christmas nursery moon salt globe arc tripod bar counter cabinet cove mantel fireplace
shelf bed headboard kitchen island dining table entry gate pathway landscape security flood""".split()
_LIGHT_NOUNS = ["lamp", "light", "lights", "spotlight", "led strip", "bulb", "chandelier", "sconce",
                "lantern", "downlights", "light strip", "fairy lights"]
LIGHT_NAMES = [m + " " + n for m, n in itertools.product(_LIGHT_MODS, _LIGHT_NOUNS)
               if not (m == "strip" and "strip" in n)] + \
              [p + "'s lamp" for p in PERSONS] + [p + "'s light" for p in PERSONS[:30]] + \
              ["hue go", "nanoleaf", "lightstrip", "lava lamp", "neon sign", "string lights",
               "globe", "big lamp", "little lamp", "tall lamp", "red lamp", "green lamp", "blue lamp"]

SWITCH_NAMES = """coffee maker|kettle|fountain|aquarium pump|fish tank|christmas tree|dehumidifier|
humidifier|air purifier|electric blanket|tv plug|printer|monitor|router|phone charger|toaster|
water heater|heated towel rail|pool pump|hot tub|garden pump|espresso machine|rice cooker|
slow cooker|dishwasher|washing machine|dryer|iron|hair dryer|speaker plug|lamp plug|desk plug|
heat mat|grow light|terrarium|bird feeder|doorbell chime|sound machine|white noise machine|
diffuser|oil diffuser|popcorn machine|waffle maker|sandwich press|fridge plug|freezer|
bottle warmer|baby monitor|computer|gaming pc|xbox|playstation|soldering station|3d printer|
ev charger|car charger|garage fridge|beer fridge|wine fridge|ice maker|sump pump|well pump|
irrigation|fan plug|radio|projector plug|massage chair|treadmill|towel warmer""".replace("\n", "").split("|")

FAN_NAMES = ["ceiling fan", "desk fan", "box fan", "tower fan", "attic fan", "exhaust fan",
             "bathroom fan", "pedestal fan", "extractor fan", "floor fan", "window fan", "table fan",
             "range hood", "bladeless fan", "whole house fan", "oscillating fan", "bedroom fan",
             "office fan", "kitchen fan", "porch fan", "patio fan", "loft fan", "gym fan"] + \
            [p + "'s fan" for p in PERSONS[:25]]

MEDIA_NAMES = ["sonos", "soundbar", "echo", "nest mini", "homepod", "stereo", "record player",
               "projector", "chromecast", "apple tv", "roku", "shield", "jukebox", "boombox",
               "home theater", "receiver", "big tv", "small tv", "smart tv", "fire stick",
               "bose speaker", "kitchen radio", "turntable", "hifi", "surround system"] + \
              [a + " " + n for a in ["living room", "bedroom", "kitchen", "den", "office", "basement",
                                     "patio", "garage", "bathroom", "gym", "nursery", "loft",
                                     "family room", "dining room", "playroom", "guest room"]
               for n in ["tv", "speaker", "speakers", "television"]]

COVER_NAMES = [a + " " + n for a in ["patio", "bedroom", "office", "living room", "kitchen", "front",
                                     "back", "side", "left", "right", "nursery", "den", "study",
                                     "bay window", "sliding door", "dining room", "attic", "loft"]
               for n in ["blinds", "blind", "curtains", "shades", "shutters", "roller blind", "drapes"]] + \
              ["garage door", "left garage door", "right garage door", "driveway gate", "front gate",
               "side gate", "skylight", "awning", "roof window", "pergola", "sun shade", "main gate",
               "carport door", "barn door", "workshop door", "shed door", "pool cover", "canopy"]

LOCK_NAMES = ["front door", "back door", "side door", "patio door", "garage side door", "basement door",
              "gate lock", "shed lock", "mudroom door", "deadbolt", "front door lock", "back door lock",
              "main door", "porch door", "kitchen door", "office door", "storage room", "gun safe",
              "safe", "cellar door", "terrace door", "balcony door", "garden gate lock", "lockbox",
              "smart lock", "entrance", "laundry door", "studio door", "cabin door", "pool gate"]

SCENE_NAMES = ["movie night", "good night", "good morning", "dinner time", "reading mode", "romantic",
               "party mode", "relax", "bright", "focus", "wake up", "away mode", "bedtime", "sunset",
               "cozy evening", "all off", "movie time", "game night", "date night", "dinner party",
               "chill", "study time", "sleep", "morning", "evening", "night light", "concentrate",
               "energize", "nightlight", "vacation", "welcome home", "cleaning", "workout", "tv time",
               "lazy sunday", "christmas", "halloween", "spring", "candlelight", "arctic aurora",
               "tropical twilight", "savanna sunset", "spring blossom", "dimmed", "nap time"]

SCRIPT_NAMES = ["morning routine", "leaving home", "arriving home", "bedtime routine", "goodnight routine",
                "feed the fish", "water the plants", "start the day", "lock up", "house check",
                "vacation mode", "guest mode", "school run", "wind down", "wake up routine",
                "garden lights show", "doorbell", "panic", "intruder alert", "coffee time"]

VACUUM_NAMES = ["roomba", "robot vacuum", "robovac", "dustin", "rosie", "deebot", "roborock",
                "mop", "robot mop", "eufy", "neato", "dyson", "sweeper", "little helper",
                "cleaning robot", "dusty", "wall e", "hoover", "shark", "bobby"]

CLIMATE_NAMES = ["thermostat", "upstairs thermostat", "downstairs thermostat", "nest", "ecobee",
                 "heat pump", "boiler", "bedroom ac", "mini split", "radiator", "hvac", "heater",
                 "office heater", "air conditioner", "floor heating", "living room ac", "tado",
                 "hive", "furnace", "space heater", "wall heater", "guest room radiator",
                 "underfloor heating", "portable ac", "loft ac"]

SENSOR_NAMES = ["outside temperature", "outdoor humidity", "outside humidity", "air quality",
                "co2 level", "power usage", "solar power", "energy use", "water usage",
                "pool temperature", "fridge temperature", "freezer temperature", "battery level",
                "wind speed", "rain today", "air pressure", "noise level", "light level",
                "uv index", "pm2.5", "electricity price", "water temperature", "soil moisture",
                "garage temperature", "attic humidity", "basement humidity", "hot tub temperature",
                "greenhouse temperature", "car battery", "gas usage", "internet speed",
                "front door battery", "thermostat humidity", "aquarium temperature"] + \
               [a + " " + m for a in ["living room", "bedroom", "kitchen", "office", "nursery", "bathroom",
                                      "den", "loft", "cellar", "gym"] for m in ["temperature", "humidity"]]

BINARY_NAMES = ["front window", "back door sensor", "motion sensor", "kitchen window", "mailbox",
                "water leak sensor", "smoke detector", "garage motion", "bedroom window",
                "patio door sensor", "basement window", "fridge door", "freezer door", "doorbell",
                "bathroom window", "office window", "skylight sensor", "gate sensor", "washer",
                "dryer", "dishwasher", "rain sensor", "flood sensor", "carbon monoxide", "occupancy",
                "front door sensor", "attic window", "nursery window", "shed door sensor"]

COLORS = ["red", "green", "blue", "yellow", "orange", "purple", "pink", "white", "cyan", "magenta",
          "violet", "turquoise", "lime", "teal", "gold", "amber", "lavender", "crimson", "indigo",
          "coral", "salmon", "navy", "maroon", "olive", "aqua", "mint", "peach", "beige", "brown",
          "silver", "sky blue", "hot pink", "dark blue", "light blue", "dark green", "light green",
          "deep purple", "warm yellow", "fuchsia", "lilac", "rose", "ruby", "emerald", "cream"]

# Colour temperatures people name, in kelvin.
WHITE_TEMPS = {"warm white": 2700, "warm": 2700, "soft white": 3000, "neutral white": 4000,
               "neutral": 4000, "cool white": 6500, "cool": 6500, "cold white": 6500,
               "daylight": 5500, "candle light": 2200, "candlelight": 2200}

TIMER_NAMES = ["pizza", "pasta", "egg", "eggs", "laundry", "tea", "bread", "oven", "nap", "workout",
               "meditation", "homework", "screen time", "cookie", "cookies", "rice", "chicken",
               "steak", "potato", "roast", "cake", "break", "parking", "medicine", "study",
               "coffee", "popcorn", "bath", "turkey", "soup", "lasagna", "plank", "reading",
               "cooking", "timeout", "dinner", "lunch", "muffins", "brownies", "face mask",
               "dryer", "washer", "baby", "piano practice", "tv", "game", "focus", "stretch"]

LIST_NAMES = ["grocery", "groceries", "to do", "todo", "hardware store", "costco", "christmas",
              "packing", "party", "chores", "gift", "pharmacy", "target", "walmart", "camping",
              "birthday", "work", "school", "garden", "weekend", "errands", "movie", "reading",
              "bucket", "wish", "baby", "holiday", "pet store", "farmers market", "books"]

ITEMS = """milk|eggs|bread|butter|cheese|apples|bananas|coffee|tea|sugar|flour|rice|pasta|tomatoes|
onions|garlic|potatoes|chicken|beef|fish|yogurt|cereal|orange juice|dish soap|paper towels|
toilet paper|laundry detergent|shampoo|toothpaste|batteries|light bulbs|trash bags|olive oil|
salt|pepper|honey|peanut butter|jam|lettuce|carrots|broccoli|spinach|avocados|lemons|limes|
grapes|strawberries|blueberries|ice cream|chocolate|cookies|chips|crackers|soda|water|beer|wine|
dog food|cat food|cat litter|diapers|wipes|baby formula|vitamins|aspirin|band aids|sunscreen|
tape|glue|screws|nails|paint|sandpaper|call the plumber|pay rent|book dentist|walk the dog|
mow the lawn|clean the gutters|renew passport|buy a gift for mom|fix the fence|return library books|
pick up dry cleaning|oat milk|almond milk|sourdough|bagels|tortillas|salsa|hummus|tofu|
frozen peas|mushrooms|bell peppers|cucumbers|zucchini|celery|ginger|cinnamon|vanilla|
baking soda|aluminum foil|sponges|hand soap|mouthwash|dental floss|razors|tissues|candles|
birthday candles|wrapping paper|stamps|envelopes|printer paper|ink cartridges|sticky notes|
charcoal|propane|firewood|bird seed|potting soil|fertilizer|kale|quinoa|granola|almonds|
walnuts|raisins|maple syrup|ketchup|mustard|mayo|pickles|soy sauce|vinegar|cream cheese|
sour cream|heavy cream|whipped cream|sausages|bacon|ham|turkey|salmon|shrimp|tuna|
sparkling water|lemonade|coconut water|energy drinks|gum|mints""".replace("\n", "").split("|")

ARTISTS = """taylor swift|the beatles|queen|adele|ed sheeran|beyonce|drake|coldplay|miles davis|
bach|mozart|beethoven|nirvana|radiohead|daft punk|fleetwood mac|abba|elton john|billie eilish|
kendrick lamar|norah jones|bob marley|the rolling stones|led zeppelin|pink floyd|u2|david bowie|
prince|madonna|rihanna|bruno mars|dua lipa|the weeknd|frank sinatra|ella fitzgerald|john coltrane|
johnny cash|dolly parton|willie nelson|metallica|ac dc|bon jovi|the killers|arctic monkeys|
lana del rey|harry styles|olivia rodrigo|sza|bad bunny|shakira|stevie wonder|marvin gaye|
aretha franklin|whitney houston|michael jackson|the eagles|eminem|kanye west|lizzo|hozier|
the cure|depeche mode|talking heads|the smiths|joni mitchell|leonard cohen|bob dylan|
simon and garfunkel|vivaldi|chopin|debussy|hans zimmer|ludovico einaudi|kraftwerk|bjork|
sigur ros|portishead|massive attack|moby|enya|sade|al green|otis redding|ray charles""".replace("\n", "").split("|")

SONGS = """bohemian rhapsody|hey jude|shake it off|hotel california|imagine|yesterday|let it be|
rolling in the deep|shape of you|blinding lights|bad guy|wonderwall|smells like teen spirit|
billie jean|purple rain|like a prayer|dancing queen|take on me|sweet child o mine|stairway to heaven|
under pressure|clair de lune|the four seasons|moonlight sonata|fur elise|take five|so what|
jolene|ring of fire|hallelujah|respect|superstition|lose yourself|uptown funk|levitating|
anti hero|as it was|flowers|bad romance|umbrella|halo|viva la vida|yellow|fix you|clocks|
mr brightside|creep|karma police|one|enter sandman|back in black|livin on a prayer|
here comes the sun|good vibrations|thriller|africa|september|dreams|landslide|rhiannon|
happy|crazy in love|single ladies|royals|chandelier|someone like you|hello|skyfall""".replace("\n", "").split("|")

GENRES = ["jazz", "classical", "rock", "pop", "hip hop", "country", "blues", "lofi", "lo fi",
          "reggae", "metal", "folk", "soul", "funk", "disco", "techno", "house", "ambient",
          "chill", "indie", "punk", "rnb", "gospel", "latin", "k pop", "edm", "swing", "opera",
          "bluegrass", "christmas", "relaxing", "workout", "party", "sleep", "focus", "piano",
          "acoustic", "eighties", "nineties", "seventies", "sixties", "dinner", "study", "happy"]

PODCASTS = ["the daily", "radiolab", "this american life", "serial", "freakonomics", "the moth",
            "hardcore history", "planet money", "stuff you should know", "reply all",
            "the news", "my favorite murder", "science friday", "ted talks daily", "the bugle"]

STATIONS = ["bbc radio 2", "npr", "kexp", "jazz fm", "classic fm", "bbc radio 4", "kiss fm",
            "radio paradise", "wnyc", "capital fm", "heart radio", "the local news station"]

VALVE_NAMES = ["main water valve", "water main", "garden valve", "sprinkler valve", "irrigation valve",
               "gas valve", "hose valve", "drip line", "lawn sprinklers", "front sprinklers",
               "back sprinklers", "pool fill valve", "zone one valve", "zone two valve", "radiator valve"]
