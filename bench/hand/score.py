"""Score dldoctor on the hand-written runs: ``diagnose --format json --no-input`` per run.

Two modes per run: ``all`` (checkpoint, log, ``--model model.py:build``, ``--batch`` and the
user's complaint as ``--symptom``) and ``ckpt_log`` (checkpoint and log only); ``files``
(all inputs but the complaint) on request. A *fault* is any of the report's diagnoses (a
practice note is one only when it explains an observation; until stop 27 such notes were
left out here, unlike bench/replay). Per run it prints the expected cause, the top 3 faults
(cause, confidence) and the exit code; in total: top-1 and top-3 on the broken runs,
detection (a true cause among the faults >= 0.5), false alarms (a healthy run with a fault
>= 0.5 or exit 1) and wrong faults >= 0.5 per broken run (faults at or above 0.5 that are
not among the run's true causes).

    python -m bench.hand.score
        [--set hand|fresh|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth
              |thirteenth|fourteenth|fifteenth|sixteenth|seventeenth
              |eighteenth|nineteenth|twentieth|twentyfirst|twentysecond
              |twentythird|twentyfourth|twentyfifth|twentysixth|twentyseventh
              |twentyeighth|twentyninth|thirtieth|thirtyfirst|thirtysecond
              |thirtythird|thirtyfourth|thirtyfifth|thirtysixth|thirtyseventh|thirtyeighth
              |thirtyninth|fortieth|fortyfirst|fortysecond|fortythird|fortyfourth
              |fortysixth|fortyseventh|fortyfifth|fortyeighth|fortyninth|fiftieth|fiftyfirst|fiftysecond
              |fiftythird|fiftyfourth
              |fiftyfifth
              |fiftysixth
              |fiftyseventh
              |fiftyeighth
              |fiftyninth
              |sixtieth
              |sixtyfirst
              |sixtysecond
              |sixtythird
              |sixtyfourth
              |sixtysixth
              |sixtyfifth
              |sixtyseventh
              |sixtyninth
              |sixtyeighth
              |seventieth
              |seventythird
              |seventyfirst
              |seventysecond
              |seventysixth
              |seventyfourth
              |seventyfifth
              |seventyseventh
              |seventyninth
              |seventyeighth
              |eightieth
              |eightyfirst
              |eightysecond
              |eightythird
              |eightyfourth
              |eightyfifth
              |eightysixth
              |eightyseventh
              |eightyeighth
              |eightyninth
              |ninetieth
              |ninetyfirst
              |ninetysecond
              |ninetythird
              |ninetyfourth
              |ninetyfifth
              |ninetysixth
              |ninetyseventh
              |ninetyeighth
              |ninetyninth
              |hundredth
              |hundredfirst
              |hundredsecond
              |hundredthird
              |hundredfifth
              |hundredfourth
              |hundredsixth
              |hundredseventh
              |hundredeighth
              |hundredninth
              |hundredeleventh
              |hundredtenth
              |hundredtwelfth
              |hundredthirteenth
              |hundredfourteenth
              |hundredfifteenth
              |hundredsixteenth
              |hundredseventeenth
              |hundredeighteenth
              |hundrednineteenth
              |hundredtwentieth
              |hundredtwentyfirst
              |hundredtwentysecond
              |hundredtwentythird
              |hundredtwentyfourth
              |hundredtwentyfifth
              |hundredtwentysixth
              |hundredtwentyseventh
              |hundredtwentyeighth
              |hundredtwentyninth
              |hundredthirtieth
              |hundredthirtyfirst
              |hundredthirtysecond
              |hundredthirtythird
              |hundredthirtyfourth
              |hundredthirtyfifth
              |hundredthirtysixth
              |hundredthirtyseventh
              |hundredthirtyeighth
              |hundredthirtyninth
              |hundredfortieth
              |hundredfortyfirst
              |hundredfortysecond
              |hundredfortythird
              |hundredfortyfourth
              |hundredfortyfifth
              |hundredfortysixth
              |hundredfortyseventh
              |hundredfortyeighth
              |hundredfortyninth
              |hundredfiftieth
              |hundredfiftyfirst
              |hundredfiftysecond
              |hundredfiftythird
              |hundredfiftyfourth
              |hundredfiftysixth
              |hundredfiftyseventh
              |hundredfiftyfifth
              |hundredsixtieth
              |hundredsixtyfirst
              |hundredsixtysecond
              |hundredsixtythird
              |hundredsixtyfourth
              |hundredsixtyfifth
              |hundredsixtysixth
              |hundredfiftyeighth
              |hundredfiftyninth]
        [--generate] [--runs DIR] [--only a,b] [--modes all,ckpt_log]

``--set fresh`` scores the second, untuned set: scripts in bench/hand/fresh/, runs in
bench/out/hand-fresh/ (a fresh run may be broken with no cause id: ``causes: []`` and
``healthy: false`` in its truth.json; it counts as broken and can only miss). ``--set third``:
the third set (bench/hand/third/, runs in bench/out/hand-third/), same rules; ``--set fourth``:
the fourth (bench/hand/fourth/, runs in bench/out/hand-fourth/); ``--set fifth``: the fifth
(bench/hand/fifth/, runs in bench/out/hand-fifth/); ``--set sixth``: the sixth (bench/hand/sixth/,
runs in bench/out/hand-sixth/); ``--set seventh``: the seventh (bench/hand/seventh/, runs in
bench/out/hand-seventh/); ``--set eighth``: the eighth (bench/hand/eighth/, runs in
bench/out/hand-eighth/); ``--set ninth``: the ninth (bench/hand/ninth/, runs in
bench/out/hand-ninth/); ``--set tenth``: the tenth (bench/hand/tenth/, runs in
bench/out/hand-tenth/); ``--set eleventh``: the eleventh (bench/hand/eleventh/, runs in
bench/out/hand-eleventh/); ``--set twelfth``: the twelfth (bench/hand/twelfth/, runs in
bench/out/hand-twelfth/); ``--set thirteenth``: the thirteenth (bench/hand/thirteenth/, runs in
bench/out/hand-thirteenth/); ``--set fourteenth``: the fourteenth (bench/hand/fourteenth/, runs
in bench/out/hand-fourteenth/); ``--set fifteenth``: the fifteenth (bench/hand/fifteenth/, runs
in bench/out/hand-fifteenth/); ``--set sixteenth``: the sixteenth (bench/hand/sixteenth/, runs
in bench/out/hand-sixteenth/); ``--set seventeenth``: the seventeenth (bench/hand/seventeenth/,
runs in bench/out/hand-seventeenth/); ``--set eighteenth``: the eighteenth
(bench/hand/eighteenth/, runs in bench/out/hand-eighteenth/); ``--set nineteenth``: the
nineteenth (bench/hand/nineteenth/, runs in bench/out/hand-nineteenth/); ``--set twentieth``:
the twentieth (bench/hand/twentieth/, runs in bench/out/hand-twentieth/); ``--set
twentyfirst``: the twenty-first (bench/hand/twentyfirst/, runs in bench/out/hand-twentyfirst/);
``--set twentysecond``: the twenty-second (bench/hand/twentysecond/, runs in
bench/out/hand-twentysecond/); ``--set twentythird``: the twenty-third
(bench/hand/twentythird/, runs in bench/out/hand-twentythird/); ``--set twentyfourth``: the
twenty-fourth (bench/hand/twentyfourth/, runs in bench/out/hand-twentyfourth/); ``--set
twentyfifth``: the twenty-fifth (bench/hand/twentyfifth/, runs in
bench/out/hand-twentyfifth/); ``--set twentysixth``: the twenty-sixth
(bench/hand/twentysixth/, runs in bench/out/hand-twentysixth/); ``--set twentyseventh``: the
twenty-seventh (bench/hand/twentyseventh/, runs in bench/out/hand-twentyseventh/); ``--set
twentyeighth``: the twenty-eighth (bench/hand/twentyeighth/, runs in
bench/out/hand-twentyeighth/); ``--set twentyninth``: the twenty-ninth
(bench/hand/twentyninth/, runs in bench/out/hand-twentyninth/); ``--set thirtieth``: the
thirtieth (bench/hand/thirtieth/, runs in bench/out/hand-thirtieth/); ``--set thirtyfirst``: the
thirty-first (bench/hand/thirtyfirst/, runs in bench/out/hand-thirtyfirst/); ``--set
thirtysecond``: the thirty-second (bench/hand/thirtysecond/, runs in
bench/out/hand-thirtysecond/); ``--set thirtythird``: the thirty-third
(bench/hand/thirtythird/, runs in bench/out/hand-thirtythird/); ``--set thirtyfourth``: the
thirty-fourth (bench/hand/thirtyfourth/, runs in bench/out/hand-thirtyfourth/); ``--set
thirtyfifth``: the thirty-fifth (bench/hand/thirtyfifth/, runs in bench/out/hand-thirtyfifth/);
``--set thirtysixth``: the thirty-sixth (bench/hand/thirtysixth/, runs in
bench/out/hand-thirtysixth/);
``--set thirtyseventh``: the thirty-seventh (bench/hand/thirtyseventh/, runs in
bench/out/hand-thirtyseventh/);
``--set thirtyeighth``: the thirty-eighth (bench/hand/thirtyeighth/, runs in
bench/out/hand-thirtyeighth/);
``--set thirtyninth``: the thirty-ninth (bench/hand/thirtyninth/, runs in
bench/out/hand-thirtyninth/);
``--set fortieth``: the fortieth (bench/hand/fortieth/, runs in
bench/out/hand-fortieth/);
``--set fortyfirst``: the forty-first (bench/hand/fortyfirst/, runs in
bench/out/hand-fortyfirst/);
``--set fortysecond``: the forty-second (bench/hand/fortysecond/, runs in
bench/out/hand-fortysecond/);
``--set fortythird``: the forty-third (bench/hand/fortythird/, runs in
bench/out/hand-fortythird/);
``--set fortyfourth``: the forty-fourth (bench/hand/fortyfourth/, runs in
bench/out/hand-fortyfourth/);
``--set fortysixth``: the forty-sixth (bench/hand/fortysixth/, runs in
bench/out/hand-fortysixth/);
``--set fortyseventh``: the forty-seventh (bench/hand/fortyseventh/, runs in
bench/out/hand-fortyseventh/);
``--set fortyfifth``: the forty-fifth (bench/hand/fortyfifth/, runs in
bench/out/hand-fortyfifth/);
``--set fortyeighth``: the forty-eighth (bench/hand/fortyeighth/, runs in
bench/out/hand-fortyeighth/);
``--set fortyninth``: the forty-ninth (bench/hand/fortyninth/, runs in
bench/out/hand-fortyninth/);
``--set fiftieth``: the fiftieth (bench/hand/fiftieth/, runs in
bench/out/hand-fiftieth/);
``--set fiftyfirst``: the fifty-first (bench/hand/fiftyfirst/, runs in
bench/out/hand-fiftyfirst/);
``--set fiftysecond``: the fifty-second (bench/hand/fiftysecond/, runs in
bench/out/hand-fiftysecond/);
``--set fiftythird``: the fifty-third (bench/hand/fiftythird/, runs in
bench/out/hand-fiftythird/);
``--set fiftyfourth``: the fifty-fourth (bench/hand/fiftyfourth/, runs in
bench/out/hand-fiftyfourth/);
``--set fiftyfifth``: the fifty-fifth (bench/hand/fiftyfifth/, runs in
bench/out/hand-fiftyfifth/);
``--set fiftysixth``: the fifty-sixth (bench/hand/fiftysixth/, runs in
bench/out/hand-fiftysixth/);
``--set fiftyseventh``: the fifty-seventh (bench/hand/fiftyseventh/, runs in
bench/out/hand-fiftyseventh/);
``--set fiftyeighth``: the fifty-eighth (bench/hand/fiftyeighth/, runs in
bench/out/hand-fiftyeighth/);
``--set fiftyninth``: the fifty-ninth (bench/hand/fiftyninth/, runs in
bench/out/hand-fiftyninth/);
``--set sixtieth``: the sixtieth (bench/hand/sixtieth/, runs in
bench/out/hand-sixtieth/);
``--set sixtyfirst``: the sixty-first (bench/hand/sixtyfirst/, runs in
bench/out/hand-sixtyfirst/);
``--set sixtysecond``: the sixty-second (bench/hand/sixtysecond/, runs in
bench/out/hand-sixtysecond/);
``--set sixtythird``: the sixty-third (bench/hand/sixtythird/, runs in
bench/out/hand-sixtythird/);
``--set sixtyfourth``: the sixty-fourth (bench/hand/sixtyfourth/, runs in
bench/out/hand-sixtyfourth/);
``--set sixtysixth``: the sixty-sixth (bench/hand/sixtysixth/, runs in
bench/out/hand-sixtysixth/);
``--set sixtyfifth``: the sixty-fifth (bench/hand/sixtyfifth/, runs in
bench/out/hand-sixtyfifth/);
``--set sixtyseventh``: the sixty-seventh (bench/hand/sixtyseventh/, runs in
bench/out/hand-sixtyseventh/);
``--set sixtyninth``: the sixty-ninth (bench/hand/sixtyninth/, runs in
bench/out/hand-sixtyninth/);
``--set sixtyeighth``: the sixty-eighth (bench/hand/sixtyeighth/, runs in
bench/out/hand-sixtyeighth/);
``--set seventieth``: the seventieth (bench/hand/seventieth/, runs in
bench/out/hand-seventieth/);
``--set seventythird``: the seventy-third (bench/hand/seventythird/, runs in
bench/out/hand-seventythird/);
``--set seventyfirst``: the seventy-first (bench/hand/seventyfirst/, runs in
bench/out/hand-seventyfirst/);
``--set seventysecond``: the seventy-second (bench/hand/seventysecond/, runs in
bench/out/hand-seventysecond/);
``--set seventysixth``: the seventy-sixth (bench/hand/seventysixth/, runs in
bench/out/hand-seventysixth/);
``--set seventyfourth``: the seventy-fourth (bench/hand/seventyfourth/, runs in
bench/out/hand-seventyfourth/);
``--set seventyfifth``: the seventy-fifth (bench/hand/seventyfifth/, runs in
bench/out/hand-seventyfifth/);
``--set seventyseventh``: the seventy-seventh (bench/hand/seventyseventh/, runs in
bench/out/hand-seventyseventh/);
``--set seventyninth``: the seventy-ninth (bench/hand/seventyninth/, runs in
bench/out/hand-seventyninth/);
``--set seventyeighth``: the seventy-eighth (bench/hand/seventyeighth/, runs in
bench/out/hand-seventyeighth/);
``--set eightieth``: the eightieth (bench/hand/eightieth/, runs in
bench/out/hand-eightieth/);
``--set eightyfirst``: the eighty-first (bench/hand/eightyfirst/, runs in
bench/out/hand-eightyfirst/);
``--set eightysecond``: the eighty-second (bench/hand/eightysecond/, runs in
bench/out/hand-eightysecond/);
``--set eightythird``: the eighty-third (bench/hand/eightythird/, runs in
bench/out/hand-eightythird/);
``--set eightyfourth``: the eighty-fourth (bench/hand/eightyfourth/, runs in
bench/out/hand-eightyfourth/);
``--set eightyfifth``: the eighty-fifth (bench/hand/eightyfifth/, runs in
bench/out/hand-eightyfifth/);
``--set eightysixth``: the eighty-sixth (bench/hand/eightysixth/, runs in
bench/out/hand-eightysixth/);
``--set eightyseventh``: the eighty-seventh (bench/hand/eightyseventh/, runs in
bench/out/hand-eightyseventh/);
``--set eightyeighth``: the eighty-eighth (bench/hand/eightyeighth/, runs in
bench/out/hand-eightyeighth/);
``--set eightyninth``: the eighty-ninth (bench/hand/eightyninth/, runs in
bench/out/hand-eightyninth/);
``--set ninetieth``: the ninetieth (bench/hand/ninetieth/, runs in
bench/out/hand-ninetieth/);
``--set ninetyfirst``: the ninety-first (bench/hand/ninetyfirst/, runs in
bench/out/hand-ninetyfirst/);
``--set ninetysecond``: the ninety-second (bench/hand/ninetysecond/, runs in
bench/out/hand-ninetysecond/);
``--set ninetythird``: the ninety-third (bench/hand/ninetythird/, runs in
bench/out/hand-ninetythird/);
``--set ninetyfourth``: the ninety-fourth (bench/hand/ninetyfourth/, runs in
bench/out/hand-ninetyfourth/);
``--set ninetyfifth``: the ninety-fifth (bench/hand/ninetyfifth/, runs in
bench/out/hand-ninetyfifth/);
``--set ninetysixth``: the ninety-sixth (bench/hand/ninetysixth/, runs in
bench/out/hand-ninetysixth/);
``--set ninetyseventh``: the ninety-seventh (bench/hand/ninetyseventh/, runs in
bench/out/hand-ninetyseventh/);
``--set ninetyeighth``: the ninety-eighth (bench/hand/ninetyeighth/, runs in
bench/out/hand-ninetyeighth/);
``--set ninetyninth``: the ninety-ninth (bench/hand/ninetyninth/, runs in
bench/out/hand-ninetyninth/);
``--set hundredth``: the hundredth (bench/hand/hundredth/, runs in
bench/out/hand-hundredth/);
``--set hundredfirst``: the hundred-first (bench/hand/hundredfirst/, runs in
bench/out/hand-hundredfirst/);
``--set hundredsecond``: the hundred-second (bench/hand/hundredsecond/, runs in
bench/out/hand-hundredsecond/);
``--set hundredthird``: the hundred-third (bench/hand/hundredthird/, runs in
bench/out/hand-hundredthird/);
``--set hundredfifth``: the hundred-fifth (bench/hand/hundredfifth/, runs in
bench/out/hand-hundredfifth/);
``--set hundredfourth``: the hundred-fourth (bench/hand/hundredfourth/, runs in
bench/out/hand-hundredfourth/);
``--set hundredsixth``: the hundred-sixth (bench/hand/hundredsixth/, runs in
bench/out/hand-hundredsixth/);
``--set hundredseventh``: the hundred-seventh (bench/hand/hundredseventh/, runs in
bench/out/hand-hundredseventh/);
``--set hundredeighth``: the hundred-eighth (bench/hand/hundredeighth/, runs in
bench/out/hand-hundredeighth/);
``--set hundredninth``: the hundred-ninth (bench/hand/hundredninth/, runs in
bench/out/hand-hundredninth/);
``--set hundredeleventh``: the hundred-eleventh (bench/hand/hundredeleventh/, runs in
bench/out/hand-hundredeleventh/);
``--set hundredtenth``: the hundred-tenth (bench/hand/hundredtenth/, runs in
bench/out/hand-hundredtenth/);
``--set hundredtwelfth``: the hundred-twelfth (bench/hand/hundredtwelfth/, runs in
bench/out/hand-hundredtwelfth/);
``--set hundredthirteenth``: the hundred-thirteenth (bench/hand/hundredthirteenth/, runs in
bench/out/hand-hundredthirteenth/);
``--set hundredfourteenth``: the hundred-fourteenth (bench/hand/hundredfourteenth/, runs in
bench/out/hand-hundredfourteenth/);
``--set hundredfifteenth``: the hundred-fifteenth (bench/hand/hundredfifteenth/, runs in
bench/out/hand-hundredfifteenth/);
``--set hundredsixteenth``: the hundred-sixteenth (bench/hand/hundredsixteenth/, runs in
bench/out/hand-hundredsixteenth/);
``--set hundredseventeenth``: the hundred-seventeenth (bench/hand/hundredseventeenth/, runs in
bench/out/hand-hundredseventeenth/);
``--set hundredeighteenth``: the hundred-eighteenth (bench/hand/hundredeighteenth/, runs in
bench/out/hand-hundredeighteenth/);
``--set hundrednineteenth``: the hundred-nineteenth (bench/hand/hundrednineteenth/, runs in
bench/out/hand-hundrednineteenth/);
``--set hundredtwentieth``: the hundred-twentieth (bench/hand/hundredtwentieth/, runs in
bench/out/hand-hundredtwentieth/);
``--set hundredtwentyfirst``: the hundred-twenty-first (bench/hand/hundredtwentyfirst/, runs in
bench/out/hand-hundredtwentyfirst/);
``--set hundredtwentysecond``: the hundred-twenty-second (bench/hand/hundredtwentysecond/, runs in
bench/out/hand-hundredtwentysecond/);
``--set hundredtwentythird``: the hundred-twenty-third (bench/hand/hundredtwentythird/, runs in
bench/out/hand-hundredtwentythird/);
``--set hundredtwentyfourth``: the hundred-twenty-fourth (bench/hand/hundredtwentyfourth/, runs in
bench/out/hand-hundredtwentyfourth/);
``--set hundredtwentyfifth``: the hundred-twenty-fifth (bench/hand/hundredtwentyfifth/, runs in
bench/out/hand-hundredtwentyfifth/);
``--set hundredtwentysixth``: the hundred-twenty-sixth (bench/hand/hundredtwentysixth/, runs in
bench/out/hand-hundredtwentysixth/);
``--set hundredtwentyseventh``: the hundred-twenty-seventh (bench/hand/hundredtwentyseventh/, runs
in bench/out/hand-hundredtwentyseventh/);
``--set hundredtwentyeighth``: the hundred-twenty-eighth (bench/hand/hundredtwentyeighth/, runs in
bench/out/hand-hundredtwentyeighth/);
``--set hundredtwentyninth``: the hundred-twenty-ninth (bench/hand/hundredtwentyninth/, runs in
bench/out/hand-hundredtwentyninth/);
``--set hundredthirtieth``: the hundred-thirtieth (bench/hand/hundredthirtieth/, runs in
bench/out/hand-hundredthirtieth/);
``--set hundredthirtyfirst``: the hundred-thirty-first (bench/hand/hundredthirtyfirst/, runs in
bench/out/hand-hundredthirtyfirst/);
``--set hundredthirtysecond``: the hundred-thirty-second (bench/hand/hundredthirtysecond/, runs in
bench/out/hand-hundredthirtysecond/);
``--set hundredthirtythird``: the hundred-thirty-third (bench/hand/hundredthirtythird/, runs in
bench/out/hand-hundredthirtythird/);
``--set hundredthirtyfourth``: the hundred-thirty-fourth (bench/hand/hundredthirtyfourth/, runs in
bench/out/hand-hundredthirtyfourth/);
``--set hundredthirtyfifth``: the hundred-thirty-fifth (bench/hand/hundredthirtyfifth/, runs in
bench/out/hand-hundredthirtyfifth/);
``--set hundredthirtysixth``: the hundred-thirty-sixth (bench/hand/hundredthirtysixth/, runs in
bench/out/hand-hundredthirtysixth/);
``--set hundredthirtyseventh``: the hundred-thirty-seventh (bench/hand/hundredthirtyseventh/, runs in
bench/out/hand-hundredthirtyseventh/);
``--set hundredthirtyeighth``: the hundred-thirty-eighth (bench/hand/hundredthirtyeighth/, runs in
bench/out/hand-hundredthirtyeighth/);
``--set hundredthirtyninth``: the hundred-thirty-ninth (bench/hand/hundredthirtyninth/, runs in
bench/out/hand-hundredthirtyninth/);
``--set hundredfortieth``: the hundred-fortieth (bench/hand/hundredfortieth/, runs in
bench/out/hand-hundredfortieth/);
``--set hundredfortyfirst``: the hundred-forty-first (bench/hand/hundredfortyfirst/, runs in
bench/out/hand-hundredfortyfirst/);
``--set hundredfortysecond``: the hundred-forty-second (bench/hand/hundredfortysecond/, runs in
bench/out/hand-hundredfortysecond/);
``--set hundredfortythird``: the hundred-forty-third (bench/hand/hundredfortythird/, runs in
bench/out/hand-hundredfortythird/);
``--set hundredfortyfourth``: the hundred-forty-fourth (bench/hand/hundredfortyfourth/, runs in
bench/out/hand-hundredfortyfourth/);
``--set hundredfortyfifth``: the hundred-forty-fifth (bench/hand/hundredfortyfifth/, runs in
bench/out/hand-hundredfortyfifth/);
``--set hundredfortysixth``: the hundred-forty-sixth (bench/hand/hundredfortysixth/, runs in
bench/out/hand-hundredfortysixth/);
``--set hundredfortyseventh``: the hundred-forty-seventh (bench/hand/hundredfortyseventh/, runs in
bench/out/hand-hundredfortyseventh/);
``--set hundredfortyeighth``: the hundred-forty-eighth (bench/hand/hundredfortyeighth/, runs in
bench/out/hand-hundredfortyeighth/);
``--set hundredfortyninth``: the hundred-forty-ninth (bench/hand/hundredfortyninth/, runs in
bench/out/hand-hundredfortyninth/);
``--set hundredfiftieth``: the hundred-fiftieth (bench/hand/hundredfiftieth/, runs in
bench/out/hand-hundredfiftieth/);
``--set hundredfiftyfirst``: the hundred-fifty-first (bench/hand/hundredfiftyfirst/, runs in
bench/out/hand-hundredfiftyfirst/);
``--set hundredfiftysecond``: the hundred-fifty-second (bench/hand/hundredfiftysecond/, runs in
bench/out/hand-hundredfiftysecond/);
``--set hundredfiftythird``: the hundred-fifty-third (bench/hand/hundredfiftythird/, runs in
bench/out/hand-hundredfiftythird/);
``--set hundredfiftyfourth``: the hundred-fifty-fourth (bench/hand/hundredfiftyfourth/, runs in
bench/out/hand-hundredfiftyfourth/);
``--set hundredfiftysixth``: the hundred-fifty-sixth (bench/hand/hundredfiftysixth/, runs in
bench/out/hand-hundredfiftysixth/);
``--set hundredfiftyseventh``: the hundred-fifty-seventh (bench/hand/hundredfiftyseventh/, runs in
bench/out/hand-hundredfiftyseventh/);
``--set hundredfiftyfifth``: the hundred-fifty-fifth (bench/hand/hundredfiftyfifth/, runs in
bench/out/hand-hundredfiftyfifth/);
``--set hundredsixtieth``: the hundred-sixtieth (bench/hand/hundredsixtieth/, runs in
bench/out/hand-hundredsixtieth/);
``--set hundredsixtyfirst``: the hundred-sixty-first (bench/hand/hundredsixtyfirst/, runs in
bench/out/hand-hundredsixtyfirst/);
``--set hundredsixtysecond``: the hundred-sixty-second (bench/hand/hundredsixtysecond/, runs in
bench/out/hand-hundredsixtysecond/);
``--set hundredsixtythird``: the hundred-sixty-third (bench/hand/hundredsixtythird/, runs in
bench/out/hand-hundredsixtythird/);
``--set hundredsixtyfourth``: the hundred-sixty-fourth (bench/hand/hundredsixtyfourth/, runs in
bench/out/hand-hundredsixtyfourth/);
``--set hundredsixtyfifth``: the hundred-sixty-fifth (bench/hand/hundredsixtyfifth/, runs in
bench/out/hand-hundredsixtyfifth/);
``--set hundredsixtysixth``: the hundred-sixty-sixth (bench/hand/hundredsixtysixth/, runs in
bench/out/hand-hundredsixtysixth/);
``--set hundredfiftyeighth``: the hundred-fifty-eighth (bench/hand/hundredfiftyeighth/, runs in
bench/out/hand-hundredfiftyeighth/);
``--set hundredfiftyninth``: the hundred-fifty-ninth (bench/hand/hundredfiftyninth/, runs in
bench/out/hand-hundredfiftyninth/).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ALARM", "MODES", "SETS", "Outcome", "command", "diagnose", "generate", "main",
           "summary"]

HERE = Path(__file__).resolve().parent
SCRIPTS = HERE / "runs"
RUNS = HERE.parents[1] / "bench" / "out" / "hand"
SETS = {"hand": (SCRIPTS, RUNS),  # name -> (scripts, run folders)
        "fresh": (HERE / "fresh", HERE.parents[1] / "bench" / "out" / "hand-fresh"),
        "third": (HERE / "third", HERE.parents[1] / "bench" / "out" / "hand-third"),
        "fourth": (HERE / "fourth", HERE.parents[1] / "bench" / "out" / "hand-fourth"),
        "fifth": (HERE / "fifth", HERE.parents[1] / "bench" / "out" / "hand-fifth"),
        "sixth": (HERE / "sixth", HERE.parents[1] / "bench" / "out" / "hand-sixth"),
        "seventh": (HERE / "seventh", HERE.parents[1] / "bench" / "out" / "hand-seventh"),
        "eighth": (HERE / "eighth", HERE.parents[1] / "bench" / "out" / "hand-eighth"),
        "ninth": (HERE / "ninth", HERE.parents[1] / "bench" / "out" / "hand-ninth"),
        "tenth": (HERE / "tenth", HERE.parents[1] / "bench" / "out" / "hand-tenth"),
        "eleventh": (HERE / "eleventh", HERE.parents[1] / "bench" / "out" / "hand-eleventh"),
        "twelfth": (HERE / "twelfth", HERE.parents[1] / "bench" / "out" / "hand-twelfth"),
        "thirteenth": (HERE / "thirteenth",
                       HERE.parents[1] / "bench" / "out" / "hand-thirteenth"),
        "fourteenth": (HERE / "fourteenth",
                       HERE.parents[1] / "bench" / "out" / "hand-fourteenth"),
        "fifteenth": (HERE / "fifteenth",
                      HERE.parents[1] / "bench" / "out" / "hand-fifteenth"),
        "sixteenth": (HERE / "sixteenth",
                      HERE.parents[1] / "bench" / "out" / "hand-sixteenth"),
        "seventeenth": (HERE / "seventeenth",
                        HERE.parents[1] / "bench" / "out" / "hand-seventeenth"),
        "eighteenth": (HERE / "eighteenth",
                       HERE.parents[1] / "bench" / "out" / "hand-eighteenth"),
        "nineteenth": (HERE / "nineteenth",
                       HERE.parents[1] / "bench" / "out" / "hand-nineteenth"),
        "twentieth": (HERE / "twentieth",
                      HERE.parents[1] / "bench" / "out" / "hand-twentieth"),
        "twentyfirst": (HERE / "twentyfirst",
                        HERE.parents[1] / "bench" / "out" / "hand-twentyfirst"),
        "twentysecond": (HERE / "twentysecond",
                         HERE.parents[1] / "bench" / "out" / "hand-twentysecond"),
        "twentythird": (HERE / "twentythird",
                        HERE.parents[1] / "bench" / "out" / "hand-twentythird"),
        "twentyfourth": (HERE / "twentyfourth",
                         HERE.parents[1] / "bench" / "out" / "hand-twentyfourth"),
        "twentyfifth": (HERE / "twentyfifth",
                        HERE.parents[1] / "bench" / "out" / "hand-twentyfifth"),
        "twentysixth": (HERE / "twentysixth",
                        HERE.parents[1] / "bench" / "out" / "hand-twentysixth"),
        "twentyseventh": (HERE / "twentyseventh",
                          HERE.parents[1] / "bench" / "out" / "hand-twentyseventh"),
        "twentyeighth": (HERE / "twentyeighth",
                         HERE.parents[1] / "bench" / "out" / "hand-twentyeighth"),
        "twentyninth": (HERE / "twentyninth",
                        HERE.parents[1] / "bench" / "out" / "hand-twentyninth"),
        "thirtieth": (HERE / "thirtieth",
                      HERE.parents[1] / "bench" / "out" / "hand-thirtieth"),
        "thirtyfirst": (HERE / "thirtyfirst",
                        HERE.parents[1] / "bench" / "out" / "hand-thirtyfirst"),
        "thirtysecond": (HERE / "thirtysecond",
                         HERE.parents[1] / "bench" / "out" / "hand-thirtysecond"),
        "thirtythird": (HERE / "thirtythird",
                        HERE.parents[1] / "bench" / "out" / "hand-thirtythird"),
        "thirtyfourth": (HERE / "thirtyfourth",
                         HERE.parents[1] / "bench" / "out" / "hand-thirtyfourth"),
        "thirtyfifth": (HERE / "thirtyfifth",
                        HERE.parents[1] / "bench" / "out" / "hand-thirtyfifth"),
        "thirtysixth": (HERE / "thirtysixth",
                        HERE.parents[1] / "bench" / "out" / "hand-thirtysixth"),
        "thirtyseventh": (HERE / "thirtyseventh",
                          HERE.parents[1] / "bench" / "out" / "hand-thirtyseventh"),
        "thirtyeighth": (HERE / "thirtyeighth",
                         HERE.parents[1] / "bench" / "out" / "hand-thirtyeighth"),
        "thirtyninth": (HERE / "thirtyninth",
                        HERE.parents[1] / "bench" / "out" / "hand-thirtyninth"),
        "fortieth": (HERE / "fortieth",
                     HERE.parents[1] / "bench" / "out" / "hand-fortieth"),
        "fortyfirst": (HERE / "fortyfirst",
                       HERE.parents[1] / "bench" / "out" / "hand-fortyfirst"),
        "fortysecond": (HERE / "fortysecond",
                        HERE.parents[1] / "bench" / "out" / "hand-fortysecond"),
        "fortythird": (HERE / "fortythird",
                       HERE.parents[1] / "bench" / "out" / "hand-fortythird"),
        "fortyfourth": (HERE / "fortyfourth",
                        HERE.parents[1] / "bench" / "out" / "hand-fortyfourth"),
        "fortysixth": (HERE / "fortysixth",
                       HERE.parents[1] / "bench" / "out" / "hand-fortysixth"),
        "fortyseventh": (HERE / "fortyseventh",
                         HERE.parents[1] / "bench" / "out" / "hand-fortyseventh"),
        "fortyfifth": (HERE / "fortyfifth",
                       HERE.parents[1] / "bench" / "out" / "hand-fortyfifth"),
        "fortyeighth": (HERE / "fortyeighth",
                        HERE.parents[1] / "bench" / "out" / "hand-fortyeighth"),
        "fortyninth": (HERE / "fortyninth",
                       HERE.parents[1] / "bench" / "out" / "hand-fortyninth"),
        "fiftieth": (HERE / "fiftieth",
                     HERE.parents[1] / "bench" / "out" / "hand-fiftieth"),
        "fiftyfirst": (HERE / "fiftyfirst",
                       HERE.parents[1] / "bench" / "out" / "hand-fiftyfirst"),
        "fiftysecond": (HERE / "fiftysecond",
                        HERE.parents[1] / "bench" / "out" / "hand-fiftysecond"),
        "fiftythird": (HERE / "fiftythird",
                       HERE.parents[1] / "bench" / "out" / "hand-fiftythird"),
        "fiftyfourth": (HERE / "fiftyfourth",
                        HERE.parents[1] / "bench" / "out" / "hand-fiftyfourth"),
        "fiftyfifth": (HERE / "fiftyfifth",
                       HERE.parents[1] / "bench" / "out" / "hand-fiftyfifth"),
        "fiftysixth": (HERE / "fiftysixth",
                       HERE.parents[1] / "bench" / "out" / "hand-fiftysixth"),
        "fiftyseventh": (HERE / "fiftyseventh",
                         HERE.parents[1] / "bench" / "out" / "hand-fiftyseventh"),
        "fiftyeighth": (HERE / "fiftyeighth",
                        HERE.parents[1] / "bench" / "out" / "hand-fiftyeighth"),
        "fiftyninth": (HERE / "fiftyninth",
                       HERE.parents[1] / "bench" / "out" / "hand-fiftyninth"),
        "sixtieth": (HERE / "sixtieth",
                     HERE.parents[1] / "bench" / "out" / "hand-sixtieth"),
        "sixtyfirst": (HERE / "sixtyfirst",
                       HERE.parents[1] / "bench" / "out" / "hand-sixtyfirst"),
        "sixtysecond": (HERE / "sixtysecond",
                        HERE.parents[1] / "bench" / "out" / "hand-sixtysecond"),
        "sixtythird": (HERE / "sixtythird",
                       HERE.parents[1] / "bench" / "out" / "hand-sixtythird"),
        "sixtyfourth": (HERE / "sixtyfourth",
                        HERE.parents[1] / "bench" / "out" / "hand-sixtyfourth"),
        "sixtysixth": (HERE / "sixtysixth",
                       HERE.parents[1] / "bench" / "out" / "hand-sixtysixth"),
        "sixtyfifth": (HERE / "sixtyfifth",
                       HERE.parents[1] / "bench" / "out" / "hand-sixtyfifth"),
        "sixtyseventh": (HERE / "sixtyseventh",
                         HERE.parents[1] / "bench" / "out" / "hand-sixtyseventh"),
        "sixtyninth": (HERE / "sixtyninth",
                       HERE.parents[1] / "bench" / "out" / "hand-sixtyninth"),
        "sixtyeighth": (HERE / "sixtyeighth",
                        HERE.parents[1] / "bench" / "out" / "hand-sixtyeighth"),
        "seventieth": (HERE / "seventieth",
                       HERE.parents[1] / "bench" / "out" / "hand-seventieth"),
        "seventythird": (HERE / "seventythird",
                         HERE.parents[1] / "bench" / "out" / "hand-seventythird"),
        "seventyfirst": (HERE / "seventyfirst",
                         HERE.parents[1] / "bench" / "out" / "hand-seventyfirst"),
        "seventysecond": (HERE / "seventysecond",
                          HERE.parents[1] / "bench" / "out" / "hand-seventysecond"),
        "seventysixth": (HERE / "seventysixth",
                         HERE.parents[1] / "bench" / "out" / "hand-seventysixth"),
        "seventyfourth": (HERE / "seventyfourth",
                          HERE.parents[1] / "bench" / "out" / "hand-seventyfourth"),
        "seventyfifth": (HERE / "seventyfifth",
                         HERE.parents[1] / "bench" / "out" / "hand-seventyfifth"),
        "seventyseventh": (HERE / "seventyseventh",
                           HERE.parents[1] / "bench" / "out" / "hand-seventyseventh"),
        "seventyninth": (HERE / "seventyninth",
                         HERE.parents[1] / "bench" / "out" / "hand-seventyninth"),
        "seventyeighth": (HERE / "seventyeighth",
                          HERE.parents[1] / "bench" / "out" / "hand-seventyeighth"),
        "eightieth": (HERE / "eightieth",
                      HERE.parents[1] / "bench" / "out" / "hand-eightieth"),
        "eightyfirst": (HERE / "eightyfirst",
                        HERE.parents[1] / "bench" / "out" / "hand-eightyfirst"),
        "eightysecond": (HERE / "eightysecond",
                         HERE.parents[1] / "bench" / "out" / "hand-eightysecond"),
        "eightythird": (HERE / "eightythird",
                        HERE.parents[1] / "bench" / "out" / "hand-eightythird"),
        "eightyfourth": (HERE / "eightyfourth",
                         HERE.parents[1] / "bench" / "out" / "hand-eightyfourth"),
        "eightyfifth": (HERE / "eightyfifth",
                        HERE.parents[1] / "bench" / "out" / "hand-eightyfifth"),
        "eightysixth": (HERE / "eightysixth",
                        HERE.parents[1] / "bench" / "out" / "hand-eightysixth"),
        "eightyseventh": (HERE / "eightyseventh",
                          HERE.parents[1] / "bench" / "out" / "hand-eightyseventh"),
        "eightyeighth": (HERE / "eightyeighth",
                         HERE.parents[1] / "bench" / "out" / "hand-eightyeighth"),
        "eightyninth": (HERE / "eightyninth",
                        HERE.parents[1] / "bench" / "out" / "hand-eightyninth"),
        "ninetieth": (HERE / "ninetieth",
                      HERE.parents[1] / "bench" / "out" / "hand-ninetieth"),
        "ninetyfirst": (HERE / "ninetyfirst",
                        HERE.parents[1] / "bench" / "out" / "hand-ninetyfirst"),
        "ninetysecond": (HERE / "ninetysecond",
                         HERE.parents[1] / "bench" / "out" / "hand-ninetysecond"),
        "ninetythird": (HERE / "ninetythird",
                        HERE.parents[1] / "bench" / "out" / "hand-ninetythird"),
        "ninetyfourth": (HERE / "ninetyfourth",
                         HERE.parents[1] / "bench" / "out" / "hand-ninetyfourth"),
        "ninetyfifth": (HERE / "ninetyfifth",
                        HERE.parents[1] / "bench" / "out" / "hand-ninetyfifth"),
        "ninetysixth": (HERE / "ninetysixth",
                        HERE.parents[1] / "bench" / "out" / "hand-ninetysixth"),
        "ninetyseventh": (HERE / "ninetyseventh",
                          HERE.parents[1] / "bench" / "out" / "hand-ninetyseventh"),
        "ninetyeighth": (HERE / "ninetyeighth",
                         HERE.parents[1] / "bench" / "out" / "hand-ninetyeighth"),
        "ninetyninth": (HERE / "ninetyninth",
                        HERE.parents[1] / "bench" / "out" / "hand-ninetyninth"),
        "hundredth": (HERE / "hundredth",
                      HERE.parents[1] / "bench" / "out" / "hand-hundredth"),
        "hundredfirst": (HERE / "hundredfirst",
                         HERE.parents[1] / "bench" / "out" / "hand-hundredfirst"),
        "hundredsecond": (HERE / "hundredsecond",
                          HERE.parents[1] / "bench" / "out" / "hand-hundredsecond"),
        "hundredthird": (HERE / "hundredthird",
                         HERE.parents[1] / "bench" / "out" / "hand-hundredthird"),
        "hundredfifth": (HERE / "hundredfifth",
                         HERE.parents[1] / "bench" / "out" / "hand-hundredfifth"),
        "hundredfourth": (HERE / "hundredfourth",
                          HERE.parents[1] / "bench" / "out" / "hand-hundredfourth"),
        "hundredsixth": (HERE / "hundredsixth",
                         HERE.parents[1] / "bench" / "out" / "hand-hundredsixth"),
        "hundredseventh": (HERE / "hundredseventh",
                           HERE.parents[1] / "bench" / "out" / "hand-hundredseventh"),
        "hundredeighth": (HERE / "hundredeighth",
                          HERE.parents[1] / "bench" / "out" / "hand-hundredeighth"),
        "hundredninth": (HERE / "hundredninth",
                         HERE.parents[1] / "bench" / "out" / "hand-hundredninth"),
        "hundredeleventh": (HERE / "hundredeleventh",
                            HERE.parents[1] / "bench" / "out" / "hand-hundredeleventh"),
        "hundredtenth": (HERE / "hundredtenth",
                         HERE.parents[1] / "bench" / "out" / "hand-hundredtenth"),
        "hundredtwelfth": (HERE / "hundredtwelfth",
                           HERE.parents[1] / "bench" / "out" / "hand-hundredtwelfth"),
        "hundredthirteenth": (HERE / "hundredthirteenth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredthirteenth"),
        "hundredfourteenth": (HERE / "hundredfourteenth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfourteenth"),
        "hundredfifteenth": (HERE / "hundredfifteenth",
                             HERE.parents[1] / "bench" / "out" / "hand-hundredfifteenth"),
        "hundredsixteenth": (HERE / "hundredsixteenth",
                             HERE.parents[1] / "bench" / "out" / "hand-hundredsixteenth"),
        "hundredseventeenth": (HERE / "hundredseventeenth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredseventeenth"),
        "hundredeighteenth": (HERE / "hundredeighteenth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredeighteenth"),
        "hundrednineteenth": (HERE / "hundrednineteenth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundrednineteenth"),
        "hundredtwentieth": (HERE / "hundredtwentieth",
                             HERE.parents[1] / "bench" / "out" / "hand-hundredtwentieth"),
        "hundredtwentyfirst": (HERE / "hundredtwentyfirst",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredtwentyfirst"),
        "hundredtwentysecond": (HERE / "hundredtwentysecond",
                                HERE.parents[1] / "bench" / "out" / "hand-hundredtwentysecond"),
        "hundredtwentythird": (HERE / "hundredtwentythird",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredtwentythird"),
        "hundredtwentyfourth": (HERE / "hundredtwentyfourth",
                                HERE.parents[1] / "bench" / "out" / "hand-hundredtwentyfourth"),
        "hundredtwentyfifth": (HERE / "hundredtwentyfifth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredtwentyfifth"),
        "hundredtwentysixth": (HERE / "hundredtwentysixth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredtwentysixth"),
        "hundredtwentyseventh": (HERE / "hundredtwentyseventh",
                                 HERE.parents[1] / "bench" / "out" / "hand-hundredtwentyseventh"),
        "hundredtwentyeighth": (HERE / "hundredtwentyeighth",
                                HERE.parents[1] / "bench" / "out" / "hand-hundredtwentyeighth"),
        "hundredtwentyninth": (HERE / "hundredtwentyninth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredtwentyninth"),
        "hundredthirtieth": (HERE / "hundredthirtieth",
                             HERE.parents[1] / "bench" / "out" / "hand-hundredthirtieth"),
        "hundredthirtyfirst": (HERE / "hundredthirtyfirst",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredthirtyfirst"),
        "hundredthirtysecond": (HERE / "hundredthirtysecond",
                                HERE.parents[1] / "bench" / "out" / "hand-hundredthirtysecond"),
        "hundredthirtythird": (HERE / "hundredthirtythird",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredthirtythird"),
        "hundredthirtyfourth": (HERE / "hundredthirtyfourth",
                                HERE.parents[1] / "bench" / "out" / "hand-hundredthirtyfourth"),
        "hundredthirtyfifth": (HERE / "hundredthirtyfifth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredthirtyfifth"),
        "hundredthirtysixth": (HERE / "hundredthirtysixth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredthirtysixth"),
        "hundredthirtyseventh": (HERE / "hundredthirtyseventh",
                                 HERE.parents[1] / "bench" / "out" / "hand-hundredthirtyseventh"),
        "hundredthirtyeighth": (HERE / "hundredthirtyeighth",
                                HERE.parents[1] / "bench" / "out" / "hand-hundredthirtyeighth"),
        "hundredthirtyninth": (HERE / "hundredthirtyninth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredthirtyninth"),
        "hundredfortieth": (HERE / "hundredfortieth",
                            HERE.parents[1] / "bench" / "out" / "hand-hundredfortieth"),
        "hundredfortyfirst": (HERE / "hundredfortyfirst",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfortyfirst"),
        "hundredfortysecond": (HERE / "hundredfortysecond",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredfortysecond"),
        "hundredfortythird": (HERE / "hundredfortythird",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfortythird"),
        "hundredfortyfourth": (HERE / "hundredfortyfourth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredfortyfourth"),
        "hundredfortyfifth": (HERE / "hundredfortyfifth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfortyfifth"),
        "hundredfortysixth": (HERE / "hundredfortysixth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfortysixth"),
        "hundredfortyseventh": (HERE / "hundredfortyseventh",
                                HERE.parents[1] / "bench" / "out" / "hand-hundredfortyseventh"),
        "hundredfortyeighth": (HERE / "hundredfortyeighth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredfortyeighth"),
        "hundredfortyninth": (HERE / "hundredfortyninth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfortyninth"),
        "hundredfiftieth": (HERE / "hundredfiftieth",
                            HERE.parents[1] / "bench" / "out" / "hand-hundredfiftieth"),
        "hundredfiftyfirst": (HERE / "hundredfiftyfirst",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfiftyfirst"),
        "hundredfiftysecond": (HERE / "hundredfiftysecond",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredfiftysecond"),
        "hundredfiftythird": (HERE / "hundredfiftythird",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfiftythird"),
        "hundredfiftyfourth": (HERE / "hundredfiftyfourth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredfiftyfourth"),
        "hundredfiftysixth": (HERE / "hundredfiftysixth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfiftysixth"),
        "hundredfiftyseventh": (HERE / "hundredfiftyseventh",
                                HERE.parents[1] / "bench" / "out" / "hand-hundredfiftyseventh"),
        "hundredfiftyfifth": (HERE / "hundredfiftyfifth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfiftyfifth"),
        "hundredsixtieth": (HERE / "hundredsixtieth",
                            HERE.parents[1] / "bench" / "out" / "hand-hundredsixtieth"),
        "hundredsixtyfirst": (HERE / "hundredsixtyfirst",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredsixtyfirst"),
        "hundredsixtysecond": (HERE / "hundredsixtysecond",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredsixtysecond"),
        "hundredsixtythird": (HERE / "hundredsixtythird",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredsixtythird"),
        "hundredsixtyfourth": (HERE / "hundredsixtyfourth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredsixtyfourth"),
        "hundredsixtyfifth": (HERE / "hundredsixtyfifth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredsixtyfifth"),
        "hundredsixtysixth": (HERE / "hundredsixtysixth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredsixtysixth"),
        "hundredfiftyeighth": (HERE / "hundredfiftyeighth",
                               HERE.parents[1] / "bench" / "out" / "hand-hundredfiftyeighth"),
        "hundredfiftyninth": (HERE / "hundredfiftyninth",
                              HERE.parents[1] / "bench" / "out" / "hand-hundredfiftyninth")}
ALARM = 0.5  # as bench/trust: a fault this confident on a healthy run is a false alarm
MODES = ("all", "ckpt_log")  # "files": all inputs but the complaint, on request


@dataclass
class Outcome:
    """What ``diagnose`` said about one run in one mode."""

    name: str
    mode: str
    causes: list[str]
    rc: int
    faults: list[tuple[str, float]] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0
    truth_healthy: bool | None = None  # truth.json's "healthy"; None: no causes = healthy

    @property
    def healthy(self) -> bool:
        return not self.causes if self.truth_healthy is None else self.truth_healthy

    @property
    def top1(self) -> bool:
        return bool(self.faults) and self.faults[0][0] in self.causes

    @property
    def top3(self) -> bool:
        return any(c in self.causes for c, _ in self.faults[:3])

    @property
    def detected(self) -> bool:
        """A true cause is among the faults at or above ALARM."""
        return any(c in self.causes and conf >= ALARM for c, conf in self.faults)

    @property
    def wrong(self) -> int:
        """Faults at or above ALARM that are not a true cause of this run."""
        return sum(c not in self.causes and conf >= ALARM for c, conf in self.faults)

    @property
    def false_alarm(self) -> bool:
        return self.healthy and (self.rc == 1 or any(conf >= ALARM for _, conf in self.faults))

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.healthy:
            return "FALSE ALARM" if self.false_alarm else "ok"
        return "top-1" if self.top1 else "top-3" if self.top3 else "miss"


def scripts(folder: Path = SCRIPTS) -> list[Path]:
    """Every hand run script in ``folder``, by name."""
    return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))


def generate(runs: Path, only: set[str] | None, folder: Path = SCRIPTS) -> dict[str, float]:
    """Run each script (one torch thread) into ``runs/<name>/``; CPU seconds per script."""
    cpu: dict[str, float] = {}
    for script in scripts(folder):
        if only and script.stem not in only:
            continue
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
        proc = subprocess.run([sys.executable, str(script), "--out", str(runs / script.stem)],
                              capture_output=True, text=True, env=env)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[script.stem] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        tail = proc.stdout.strip().splitlines()[-1:] or proc.stderr.strip().splitlines()[-1:]
        print(f"{script.stem:32s} rc={proc.returncode} cpu={cpu[script.stem]:5.1f}s  "
              f"{tail[0][:90] if tail else ''}", flush=True)
    return cpu


def command(run: Path, truth: dict, mode: str) -> list[str]:
    """The ``diagnose`` command line for one run and mode."""
    files = truth["files"]
    exe = shutil.which("diagnose") or "diagnose"
    cmd = [exe, "--format", "json", "--no-input", "--checkpoint", str(run / files["checkpoint"])]
    if files.get("log"):
        cmd += ["--log", str(run / files["log"])]
    if mode in ("all", "files"):
        model, factory = files["model"].split(":")
        cmd += ["--model", f"{run / model}:{factory}", "--batch", str(run / files["batch"])]
        if mode == "all" and truth.get("complaint"):
            cmd += ["--symptom", truth["complaint"]]
    return cmd


def diagnose(run: Path, mode: str) -> Outcome:
    """Run ``diagnose`` on one run folder and read its JSON report."""
    truth = json.loads((run / "truth.json").read_text())
    start = time.perf_counter()
    proc = subprocess.run(command(run, truth, mode), capture_output=True, text=True,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    out = Outcome(run.name, mode, list(truth["causes"]), proc.returncode,
                  seconds=time.perf_counter() - start, truth_healthy=truth.get("healthy"))
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        lines = proc.stderr.strip().splitlines()
        out.error = lines[-1][:200] if lines else f"exit {proc.returncode}, no report"
        return out
    # every diagnosis: a practice note is among them only when it explains what was observed
    # (it makes the exit status 1 then); the others sit in "advice"
    out.faults = [(d["cause"], float(d["confidence"])) for d in report.get("diagnoses", [])]
    return out


def summary(outcomes: list[Outcome]) -> dict[str, float | int | str]:
    """Totals for one mode."""
    broken = [o for o in outcomes if not o.healthy]
    healthy = [o for o in outcomes if o.healthy]

    def pct(k: int, n: int) -> str:
        return f"{100 * k / n:.0f} % ({k}/{n})" if n else "-"

    return {
        "broken": len(broken), "healthy": len(healthy),
        "top1": pct(sum(o.top1 for o in broken), len(broken)),
        "top3": pct(sum(o.top3 for o in broken), len(broken)),
        "detected": pct(sum(o.detected for o in broken), len(broken)),
        "false_alarms": f"{sum(o.false_alarm for o in healthy)}/{len(healthy)}",
        "wrong_per_broken": round(sum(o.wrong for o in broken) / max(1, len(broken)), 2),
        "errors": sum(bool(o.error) for o in outcomes),
    }


def row(o: Outcome) -> str:
    """One Markdown table row."""
    got = ", ".join(f"{c} {conf:.2f}" for c, conf in o.faults[:3]) or o.error or "-"
    expected = " / ".join(o.causes) or ("healthy" if o.healthy else "(bug with no cause id)")
    return f"| {o.name} | {o.mode} | {expected} | {got} | {o.rc} | {o.verdict} | {o.wrong} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", dest="which", choices=sorted(SETS), default="hand",
                        help="hand: bench/hand/runs, fresh: bench/hand/fresh (both tuned on); "
                             "third: bench/hand/third; fourth: bench/hand/fourth; "
                             "fifth: bench/hand/fifth; sixth: bench/hand/sixth; "
                             "seventh: bench/hand/seventh; eighth: bench/hand/eighth; "
                             "ninth: bench/hand/ninth; tenth: bench/hand/tenth; "
                             "eleventh: bench/hand/eleventh; twelfth: bench/hand/twelfth; "
                             "thirteenth: bench/hand/thirteenth; "
                             "fourteenth: bench/hand/fourteenth; "
                             "fifteenth: bench/hand/fifteenth; "
                             "sixteenth: bench/hand/sixteenth; "
                             "seventeenth: bench/hand/seventeenth; "
                             "eighteenth: bench/hand/eighteenth; "
                             "nineteenth: bench/hand/nineteenth; "
                             "twentieth: bench/hand/twentieth; "
                             "twentyfirst: bench/hand/twentyfirst; "
                             "twentysecond: bench/hand/twentysecond; "
                             "twentythird: bench/hand/twentythird; "
                             "twentyfourth: bench/hand/twentyfourth; "
                             "twentyfifth: bench/hand/twentyfifth; "
                             "twentysixth: bench/hand/twentysixth; "
                             "twentyseventh: bench/hand/twentyseventh; "
                             "twentyeighth: bench/hand/twentyeighth; "
                             "twentyninth: bench/hand/twentyninth; "
                             "thirtieth: bench/hand/thirtieth; "
                             "thirtyfirst: bench/hand/thirtyfirst; "
                             "thirtysecond: bench/hand/thirtysecond; "
                             "thirtythird: bench/hand/thirtythird; "
                             "thirtyfourth: bench/hand/thirtyfourth; "
                             "thirtyfifth: bench/hand/thirtyfifth; "
                             "thirtysixth: bench/hand/thirtysixth; "
                             "thirtyseventh: bench/hand/thirtyseventh; "
                             "thirtyeighth: bench/hand/thirtyeighth; "
                             "thirtyninth: bench/hand/thirtyninth; "
                             "fortieth: bench/hand/fortieth; "
                             "fortyfirst: bench/hand/fortyfirst; "
                             "fortysecond: bench/hand/fortysecond; "
                             "fortythird: bench/hand/fortythird; "
                             "fortyfourth: bench/hand/fortyfourth; "
                             "fortysixth: bench/hand/fortysixth; "
                             "fortyseventh: bench/hand/fortyseventh; "
                             "fortyfifth: bench/hand/fortyfifth; "
                             "fortyeighth: bench/hand/fortyeighth; "
                             "fortyninth: bench/hand/fortyninth; "
                             "fiftieth: bench/hand/fiftieth; "
                             "fiftyfirst: bench/hand/fiftyfirst; "
                             "fiftysecond: bench/hand/fiftysecond; "
                             "fiftythird: bench/hand/fiftythird; "
                             "fiftyfourth: bench/hand/fiftyfourth; "
                             "fiftyfifth: bench/hand/fiftyfifth; "
                             "fiftysixth: bench/hand/fiftysixth; "
                             "fiftyseventh: bench/hand/fiftyseventh; "
                             "fiftyeighth: bench/hand/fiftyeighth; "
                             "fiftyninth: bench/hand/fiftyninth; "
                             "sixtieth: bench/hand/sixtieth; "
                             "sixtyfirst: bench/hand/sixtyfirst; "
                             "sixtysecond: bench/hand/sixtysecond; "
                             "sixtythird: bench/hand/sixtythird; "
                             "sixtyfourth: bench/hand/sixtyfourth; "
                             "sixtysixth: bench/hand/sixtysixth; "
                             "sixtyfifth: bench/hand/sixtyfifth; "
                             "sixtyseventh: bench/hand/sixtyseventh; "
                             "sixtyninth: bench/hand/sixtyninth; "
                             "sixtyeighth: bench/hand/sixtyeighth; "
                             "seventieth: bench/hand/seventieth; "
                             "seventythird: bench/hand/seventythird; "
                             "seventyfirst: bench/hand/seventyfirst; "
                             "seventysecond: bench/hand/seventysecond; "
                             "seventysixth: bench/hand/seventysixth; "
                             "seventyfourth: bench/hand/seventyfourth; "
                             "seventyfifth: bench/hand/seventyfifth; "
                             "seventyseventh: bench/hand/seventyseventh; "
                             "seventyninth: bench/hand/seventyninth; "
                             "seventyeighth: bench/hand/seventyeighth; "
                             "eightieth: bench/hand/eightieth; "
                             "eightyfirst: bench/hand/eightyfirst; "
                             "eightysecond: bench/hand/eightysecond; "
                             "eightythird: bench/hand/eightythird; "
                             "eightyfourth: bench/hand/eightyfourth; "
                             "eightyfifth: bench/hand/eightyfifth; "
                             "eightysixth: bench/hand/eightysixth; "
                             "eightyseventh: bench/hand/eightyseventh; "
                             "eightyeighth: bench/hand/eightyeighth; "
                             "eightyninth: bench/hand/eightyninth; "
                             "ninetieth: bench/hand/ninetieth; "
                             "ninetyfirst: bench/hand/ninetyfirst; "
                             "ninetysecond: bench/hand/ninetysecond; "
                             "ninetythird: bench/hand/ninetythird; "
                             "ninetyfourth: bench/hand/ninetyfourth; "
                             "ninetyfifth: bench/hand/ninetyfifth; "
                             "ninetysixth: bench/hand/ninetysixth; "
                             "ninetyseventh: bench/hand/ninetyseventh; "
                             "ninetyeighth: bench/hand/ninetyeighth; "
                             "ninetyninth: bench/hand/ninetyninth; "
                             "hundredth: bench/hand/hundredth; "
                             "hundredfirst: bench/hand/hundredfirst; "
                             "hundredsecond: bench/hand/hundredsecond; "
                             "hundredthird: bench/hand/hundredthird; "
                             "hundredfifth: bench/hand/hundredfifth; "
                             "hundredfourth: bench/hand/hundredfourth; "
                             "hundredsixth: bench/hand/hundredsixth; "
                             "hundredseventh: bench/hand/hundredseventh; "
                             "hundredeighth: bench/hand/hundredeighth; "
                             "hundredninth: bench/hand/hundredninth; "
                             "hundredeleventh: bench/hand/hundredeleventh; "
                             "hundredtenth: bench/hand/hundredtenth; "
                             "hundredtwelfth: bench/hand/hundredtwelfth; "
                             "hundredthirteenth: bench/hand/hundredthirteenth; "
                             "hundredfourteenth: bench/hand/hundredfourteenth; "
                             "hundredfifteenth: bench/hand/hundredfifteenth; "
                             "hundredsixteenth: bench/hand/hundredsixteenth; "
                             "hundredseventeenth: bench/hand/hundredseventeenth; "
                             "hundredeighteenth: bench/hand/hundredeighteenth; "
                             "hundrednineteenth: bench/hand/hundrednineteenth; "
                             "hundredtwentieth: bench/hand/hundredtwentieth; "
                             "hundredtwentyfirst: bench/hand/hundredtwentyfirst; "
                             "hundredtwentysecond: bench/hand/hundredtwentysecond; "
                             "hundredtwentythird: bench/hand/hundredtwentythird; "
                             "hundredtwentyfourth: bench/hand/hundredtwentyfourth; "
                             "hundredtwentyfifth: bench/hand/hundredtwentyfifth; "
                             "hundredtwentysixth: bench/hand/hundredtwentysixth; "
                             "hundredtwentyseventh: bench/hand/hundredtwentyseventh; "
                             "hundredtwentyeighth: bench/hand/hundredtwentyeighth; "
                             "hundredtwentyninth: bench/hand/hundredtwentyninth; "
                             "hundredthirtieth: bench/hand/hundredthirtieth; "
                             "hundredthirtyfirst: bench/hand/hundredthirtyfirst; "
                             "hundredthirtysecond: bench/hand/hundredthirtysecond; "
                             "hundredthirtythird: bench/hand/hundredthirtythird; "
                             "hundredthirtyfourth: bench/hand/hundredthirtyfourth; "
                             "hundredthirtyfifth: bench/hand/hundredthirtyfifth; "
                             "hundredthirtysixth: bench/hand/hundredthirtysixth; "
                             "hundredthirtyseventh: bench/hand/hundredthirtyseventh; "
                             "hundredthirtyeighth: bench/hand/hundredthirtyeighth; "
                             "hundredthirtyninth: bench/hand/hundredthirtyninth; "
                             "hundredfortieth: bench/hand/hundredfortieth; "
                             "hundredfortyfirst: bench/hand/hundredfortyfirst; "
                             "hundredfortysecond: bench/hand/hundredfortysecond; "
                             "hundredfortythird: bench/hand/hundredfortythird; "
                             "hundredfortyfourth: bench/hand/hundredfortyfourth; "
                             "hundredfortyfifth: bench/hand/hundredfortyfifth; "
                             "hundredfortysixth: bench/hand/hundredfortysixth; "
                             "hundredfortyseventh: bench/hand/hundredfortyseventh; "
                             "hundredfortyeighth: bench/hand/hundredfortyeighth; "
                             "hundredfortyninth: bench/hand/hundredfortyninth; "
                             "hundredfiftieth: bench/hand/hundredfiftieth; "
                             "hundredfiftyfirst: bench/hand/hundredfiftyfirst; "
                             "hundredfiftysecond: bench/hand/hundredfiftysecond; "
                             "hundredfiftythird: bench/hand/hundredfiftythird; "
                             "hundredfiftyfourth: bench/hand/hundredfiftyfourth; "
                             "hundredfiftysixth: bench/hand/hundredfiftysixth; "
                             "hundredfiftyseventh: bench/hand/hundredfiftyseventh; "
                             "hundredfiftyfifth: bench/hand/hundredfiftyfifth; "
                             "hundredsixtieth: bench/hand/hundredsixtieth; "
                             "hundredsixtyfirst: bench/hand/hundredsixtyfirst; "
                             "hundredsixtysecond: bench/hand/hundredsixtysecond; "
                             "hundredsixtythird: bench/hand/hundredsixtythird; "
                             "hundredsixtyfourth: bench/hand/hundredsixtyfourth; "
                             "hundredsixtyfifth: bench/hand/hundredsixtyfifth; "
                             "hundredsixtysixth: bench/hand/hundredsixtysixth; "
                             "hundredfiftyeighth: bench/hand/hundredfiftyeighth; "
                             "hundredfiftyninth: bench/hand/hundredfiftyninth")
    parser.add_argument("--runs", type=Path, default=None,
                        help="folder of run folders (default: the set's)")
    parser.add_argument("--generate", action="store_true", help="run the scripts first")
    parser.add_argument("--only", default="", help="comma-separated run names")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--json", type=Path, default=None, help="write the outcomes here")
    args = parser.parse_args(argv)
    only = {n for n in args.only.split(",") if n} or None
    folder, default_runs = SETS[args.which]
    args.runs = args.runs or default_runs
    if args.generate:
        generate(args.runs, only, folder)
    runs = sorted(p.parent for p in args.runs.glob("*/truth.json")
                  if only is None or p.parent.name in only)
    if not runs:
        print(f"score: no run folders with truth.json under {args.runs}; use --generate "
              f"(--set {args.which})", file=sys.stderr)
        return 2
    modes = [m for m in args.modes.split(",") if m]
    outcomes: dict[str, list[Outcome]] = {m: [] for m in modes}
    print("| run | mode | expected | top 3 faults (confidence) | exit | verdict | wrong ≥ 0.5 |")
    print("|---|---|---|---|---|---|---|", flush=True)
    for run in runs:
        for m in modes:
            outcomes[m].append(diagnose(run, m))
            print(row(outcomes[m][-1]), flush=True)
    print()
    totals = {m: summary(outcomes[m]) for m in modes}
    for m in modes:
        print(f"{m}: " + ", ".join(f"{k} {v}" for k, v in totals[m].items()))
    if args.json:
        args.json.write_text(json.dumps(
            {"totals": totals, "runs": {m: [o.__dict__ | {"verdict": o.verdict}
                                             for o in outcomes[m]] for m in modes}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
