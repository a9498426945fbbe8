//! [`Scan`]: a document's words as it writes them, for the keyword stage.
//!
//! Unlike the analyzer (which feeds the classifier lowercased stems), the scan keeps what an
//! index term needs: each word's byte range in the text (so a phrase is shown with its own
//! case, hyphens and apostrophes), whether it is capitalised, whether it opens a sentence or
//! sits in the headline, and where phrases must break: punctuation, line ends, numbers, stop
//! words, dates and reporting verbs (see [`super::lists`]). Lines that are boilerplate
//! (bylines, credits, "Read more", copyright) are skipped whole, and a dateline
//! ("MOSCOW, May 3 (Agency) -") is skipped at the start of a paragraph.

use std::sync::OnceLock;

use foldhash::HashMap;

use super::lists;
use crate::analysis::memo::{self, packed_key, Key, Memo};
use crate::analysis::normalize::Normalized;
use crate::analysis::{Span, Tokenizer};

/// One word of the document that may be part of a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Occurrence {
    /// Id in the scan's word table (its lowercase form).
    pub(crate) word: u32,
    /// Byte range in the text as given (before normalising: see [`Scan::run`]).
    pub(crate) start: u32,
    pub(crate) end: u32,
    /// Sentence number (the headline is sentence 0).
    pub(crate) sentence: u32,
    /// Whether a phrase may not run from the previous occurrence into this one.
    pub(crate) breaks: bool,
    /// Whether its first letter is upper case.
    pub(crate) capitalized: bool,
    /// Whether it opens a sentence (its case then says nothing).
    pub(crate) initial: bool,
    /// Whether it is in the headline.
    pub(crate) headline: bool,
    /// Whether it follows a title and `of` or `for` ("Secretary of | State Mike Pompeo"): the
    /// capitalised run it starts names the office before it names the person.
    pub(crate) after_title_of: bool,
    /// Whether it follows "told" or "according to" (and "the"): the outlet or source a
    /// report cites ("told Reuters", "according to CNN"), not a subject of the report.
    pub(crate) cited: bool,
    /// Whether an "of" or "for" joins it to the name before ("Bank of | America", "Center
    /// for | Biological Diversity").
    pub(crate) joined: bool,
    /// Whether a determiner comes right before it ("the | firing squad").
    pub(crate) determined: bool,
    /// Whether it is in a photo's caption, the sentence a credit ends ("Location of Elazig
    /// province in Turkey. Image: ..."): what is pictured, said once, is no index term.
    pub(crate) caption: bool,
}

/// The words of one document; reused from document to document.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scan {
    /// Words in text order.
    pub(crate) occurrences: Vec<Occurrence>,
    /// Lowercase forms of the word table, end to end; `bounds[id]` is word `id`'s range.
    arena: String,
    bounds: Vec<(u32, u32)>,
    /// Flags of each word id (see [`VAGUE`], [`TITLE`]).
    flags: Vec<u8>,
    /// This document's words (stop words included) by packed key; longer or non-ASCII words
    /// by their lowercase form.
    table: WordTable,
    long: HashMap<Box<str>, u32>,
    lower: String,
    /// The normalised copy of a text that needs one.
    normalized: Normalized,
    /// Buffers of [`Scan::merge_plurals`].
    case: Vec<i32>,
    canonical: Vec<u32>,
    /// Whether the words being scanned are a photo's caption.
    in_caption: bool,
}

/// Flag: the word breaks phrases and is never part of a keyword.
const BREAK: u8 = 1;
/// Flag: the word is too vague to be a keyword alone.
pub(crate) const VAGUE: u8 = 2;
/// Flag: the word is a title that stands before names.
pub(crate) const TITLE: u8 = 4;
/// Flag: the word breaks phrases but starts place names when capitalised mid-sentence.
const NAME_START: u8 = 8;

/// Flag: the word breaks phrases but ends a name when capitalised right after one ("Theresa
/// May", "Doris Day", "Formula One").
const NAME_END: u8 = 32;

/// Flag: the word is a verb or a preposition that breaks phrases when written in lower case
/// ("respect" in "respect cyber sovereignty"; "Respect" mid-sentence may be a name).
const LOWER_BREAK: u8 = 128;

/// Date and number words that are also the last word of names.
const NAME_ENDS: &[&str] = &["day", "may", "one"];

/// Flag: the word is part of a role without being a title ("Prime" in "Prime Minister").
pub(crate) const ROLE: u8 = 64;

/// Flag: the word is a particle inside names ("van" in "Vincent van Gogh").
pub(crate) const PARTICLE: u8 = 16;

/// Lowercase particles of personal names: "Vincent van Gogh", "Ursula von der Leyen",
/// "Charles de Gaulle", "Luiz Inácio Lula da Silva", "Mohammed bin Salman".
const PARTICLES: &[&str] = &[
    "bin", "bint", "da", "de", "del", "della", "der", "di", "dos", "du", "ibn", "van", "von",
];

/// Titles that are part of the name they stand before: "Pope Francis", "Queen Elizabeth",
/// "Sheikh Hasina" (sorted).
const REGNAL: &[&str] = &[
    "emperor", "king", "lady", "pope", "prince", "princess", "queen", "sheikh", "sultan",
];

/// Arabic articles written before a capitalised name ("al-Quaety", "el-Sisi").
const ARTICLES: &[&str] = &[
    "ad-", "al-", "an-", "ar-", "as-", "ash-", "at-", "az-", "el-",
];

/// Most distinct words a document's table holds; later new words only break phrases. Word ids
/// fit in 14 bits, so a phrase key of four ids (16 bits each) leaves the top two bits, where
/// the number of words is tagged, clear.
const MAX_WORDS: usize = (1 << 14) - 1;

/// Words that break phrases but start place names when capitalised mid-sentence ("New York",
/// "New Zealand").
const NAME_STARTS: &[&str] = &["new"];

/// Words after "General" that make a name, not a rank before one ("General Motors", "General
/// Assembly").
const GENERAL_NAMES: &[&str] = &[
    "accounting",
    "assembly",
    "atomics",
    "conference",
    "council",
    "dynamics",
    "electric",
    "hospital",
    "mills",
    "motors",
    "secretariat",
    "staff",
    "synod",
];

/// Head nouns of bodies named for their purpose: before "for" they make one name of a few
/// words around it ("Center for Biological Diversity", "Ministry for Foreign Affairs").
const FOR_HEADS: &[&str] = &[
    "academy",
    "agency",
    "alliance",
    "association",
    "bureau",
    "campaign",
    "center",
    "centre",
    "coalition",
    "commission",
    "committee",
    "council",
    "department",
    "foundation",
    "fund",
    "institute",
    "league",
    "ministry",
    "movement",
    "network",
    "office",
    "organisation",
    "organization",
    "party",
    "society",
    "union",
];

/// Head nouns of organisations and places. Before "of" they make one name of the words around
/// it however many come before ("Scripps Institution of Oceanography", "Democratic Republic
/// of the Congo"); after a plural title they name a body, not a person ("Authors Guild").
const NAME_HEADS: &[&str] = &[
    "academy",
    "agency",
    "airlines",
    "airways",
    "alliance",
    "assembly",
    "association",
    "authority",
    "bank",
    "bay",
    "board",
    "bureau",
    "cape",
    "center",
    "centre",
    "chamber",
    "church",
    "club",
    "coalition",
    "college",
    "commission",
    "committee",
    "confederation",
    "congress",
    "corp",
    "corporation",
    "council",
    "court",
    "department",
    "federation",
    "foundation",
    "fund",
    "guild",
    "gulf",
    "holdings",
    "hospital",
    "house",
    "inc",
    "incorporated",
    "industries",
    "institute",
    "institution",
    "journal",
    "kingdom",
    "league",
    "library",
    "limited",
    "llc",
    "ltd",
    "ministry",
    "museum",
    "office",
    "organisation",
    "organization",
    "parliament",
    "party",
    "plc",
    "republic",
    "school",
    "sea",
    "senate",
    "society",
    "strait",
    "tribunal",
    "union",
    "university",
];

/// Last words of names that are no person's: events, laws, places, buildings, regnal
/// numbers ("Libyan Civil War", "Human Life Protection Act", "World War II"), sorted.
const THING_ENDS: &[&str] = &[
    "act",
    "airport",
    "army",
    "avenue",
    "average",
    "bridge",
    "cathedral",
    "championship",
    "championships",
    "conference",
    "convention",
    "corps",
    "county",
    "cup",
    "district",
    "embassy",
    "festival",
    "forces",
    "games",
    "hall",
    "ii",
    "iii",
    "island",
    "islands",
    "lake",
    "management",
    "palace",
    "park",
    "police",
    "prize",
    "program",
    "programme",
    "province",
    "region",
    "river",
    "road",
    "square",
    "stadium",
    "station",
    "street",
    "summit",
    "treaty",
    "valley",
    "war",
];

/// Whether `lower` ends the name of a body, place or thing, not a person's ("ministry",
/// "index", "group", "act").
pub(crate) fn is_name_head(lower: &str) -> bool {
    NAME_HEADS.binary_search(&lower).is_ok()
        || BODY_ENDS.binary_search(&lower).is_ok()
        || COMPOUND_HEADS.binary_search(&lower).is_ok()
        || THING_ENDS.binary_search(&lower).is_ok()
}

/// Vague words that still end the name of a body or person ("Kurdistan Workers' Party", "Abu
/// Sayyaf Group", "Citigroup Inc", "YRC Worldwide", "Ken Griffey Jr"), sorted.
pub(crate) const BODY_ENDS: &[&str] = &[
    "area",
    "areas",
    "company",
    "corp",
    "group",
    "inc",
    "jr",
    "llc",
    "ltd",
    "party",
    "plc",
    "worldwide",
];

/// Vague nouns that still head a compound ("climate change", "job cuts", "retail sales",
/// "particulate matter", "Hang Seng Index") when it recurs or is a name, sorted.
pub(crate) const COMPOUND_HEADS: &[&str] = &[
    "change", "changes", "cut", "cuts", "death", "deaths", "index", "matter", "order", "recovery",
    "sales", "show", "use", "world",
];

/// What follows the digits of a number that is no word: ordinal endings and units (sorted).
const UNITS: &[&[u8]] = &[
    b"am", b"bn", b"cm", b"ft", b"g", b"gb", b"gw", b"h", b"k", b"kg", b"km", b"kmh", b"kph",
    b"kw", b"kwh", b"lb", b"lbs", b"m", b"mb", b"mi", b"ml", b"mm", b"mn", b"mph", b"mw", b"nd",
    b"pm", b"rd", b"s", b"st", b"t", b"tb", b"th",
];

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "co", "col", "corp", "dr", "gen", "gov", "inc", "jr", "lt", "ltd", "mr", "mrs", "ms", "no",
    "prof", "rep", "rev", "sen", "sgt", "sr", "st", "vs",
];

impl Scan {
    /// The lowercase form of word `id`.
    pub(crate) fn word(&self, id: u32) -> &str {
        let (start, end) = self.bounds[id as usize];
        &self.arena[start as usize..end as usize]
    }

    /// Number of distinct words.
    pub(crate) fn word_count(&self) -> usize {
        self.bounds.len()
    }

    /// The flags of word `id` ([`VAGUE`], [`TITLE`]).
    pub(crate) fn flags(&self, id: u32) -> u8 {
        self.flags[id as usize]
    }

    /// Scans `text`, replacing what the scan held. The text is read normalised, as the
    /// analyzer reads it (see [`crate::analysis::normalize`]), but the words' byte ranges are
    /// those of `text` itself: `pa\u{ad}rliament` is the word "parliament", found where the
    /// text writes it, soft hyphen and all.
    pub(crate) fn run(&mut self, text: &str) {
        let mut normalized = std::mem::take(&mut self.normalized);
        if normalized.set(text) {
            self.scan(normalized.text());
            for o in &mut self.occurrences {
                o.start = normalized.start_in_original(o.start as usize) as u32;
                o.end = normalized.end_in_original(o.end as usize) as u32;
            }
        } else {
            self.scan(text);
        }
        self.normalized = normalized;
    }

    /// [`Scan::run`] on a normalised text.
    fn scan(&mut self, text: &str) {
        self.occurrences.clear();
        self.arena.clear();
        self.bounds.clear();
        self.flags.clear();
        self.table.start_document();
        self.long.clear();
        // The headline is sentence 0; each paragraph starts a new sentence.
        let mut sentence = 0u32;
        let mut first_line = true;
        let mut offset = 0usize;
        for raw_line in text.split_inclusive('\n') {
            let line_start = offset;
            offset += raw_line.len();
            let line = raw_line.trim_end();
            let trimmed = line.trim_start();
            if trimmed.is_empty() {
                continue;
            }
            let lead = line.len() - trimmed.len();
            let headline = first_line && is_headline(trimmed, &text[offset..]);
            first_line = false;
            if is_boilerplate(trimmed) {
                continue;
            }
            let skip = dateline_len(trimmed);
            if !headline {
                sentence += 1;
            }
            // A photo credit is skipped to the end of its sentence: "Marchers in Paris. Image:
            // Yann Caradec. Following the shootings..." goes on after it when a page's caption
            // ran into its paragraph.
            let line_end = line_start + line.len();
            let mut from = line_start + lead + skip;
            loop {
                let body = &text[from..line_end];
                let credit = credit_start(body);
                // The sentence a credit ends is the photo's caption.
                let caption = if credit < body.len() {
                    caption_start(&body[..credit])
                } else {
                    credit
                };
                self.scan_line(text, from, from + caption, headline, &mut sentence);
                if caption < credit {
                    // A caption is no sentence of the story: the story's sentences are
                    // numbered as if it were not there (the lead stays the lead).
                    let story = sentence;
                    if caption > 0 {
                        sentence += 1;
                    }
                    self.in_caption = true;
                    self.scan_line(text, from + caption, from + credit, headline, &mut sentence);
                    self.in_caption = false;
                    sentence = story;
                    if caption == 0 && from == line_start + lead + skip && !headline {
                        // A line that opens with its caption took a number for nothing.
                        sentence -= 1;
                    }
                }
                let resume = credit_end(body, credit);
                if resume >= body.len() {
                    break;
                }
                from += resume;
                sentence += 1;
            }
            if headline {
                sentence = 0;
            }
        }
        self.mark_titles();
        self.merge_plurals();
    }

    /// "aftershocks ... an aftershock", "cybercrimes ... cybercrime": a plural written in
    /// lower case is the word its singular is, where the document has both, so a subject
    /// written both ways is counted once (and shown in its most frequent form). A word written
    /// capitalised mid-sentence more often than not is a name, and left alone: "Williams" is
    /// no "William", though "sharks" is "shark" in an article on "Apex Shark Expeditions".
    fn merge_plurals(&mut self) {
        let words = self.bounds.len();
        // Mid-sentence occurrences, capitalised minus not: a name where above 0.
        let mut case = std::mem::take(&mut self.case);
        case.clear();
        case.resize(words, 0);
        for o in self
            .occurrences
            .iter()
            .filter(|o| !o.initial && !o.headline)
        {
            case[o.word as usize] += if o.capitalized { 1 } else { -1 };
        }
        let named = |id: u32| case[id as usize] > 0;
        let mut canonical = std::mem::take(&mut self.canonical);
        canonical.clear();
        let mut singular = std::mem::take(&mut self.lower);
        for id in 0..words as u32 {
            let plural = self.word(id);
            if named(id)
                || !plural.ends_with('s')
                || plural.ends_with("ss")
                || plural.ends_with("us")
                || plural.ends_with("is")
            {
                continue;
            }
            let stem = &plural[..plural.len() - 1];
            let found = [
                (stem, ""),
                (stem.strip_suffix('e').unwrap_or(""), ""),
                (stem.strip_suffix("ie").unwrap_or(""), "y"),
            ]
            .into_iter()
            .filter(|(head, _)| head.len() >= 3)
            .find_map(|(head, tail)| {
                singular.clear();
                singular.push_str(head);
                singular.push_str(tail);
                self.id_of(&singular)
            });
            if let Some(one) =
                found.filter(|&one| !named(one) && self.flags(one) == self.flags(id) && one != id)
            {
                if canonical.is_empty() {
                    canonical.extend(0..words as u32);
                }
                canonical[id as usize] = one;
            }
        }
        if !canonical.is_empty() {
            for o in &mut self.occurrences {
                o.word = canonical[o.word as usize];
            }
        }
        self.case = case;
        self.canonical = canonical;
        self.lower = singular;
    }

    /// The id of the lowercase word `lower`, if this document kept it.
    fn id_of(&self, lower: &str) -> Option<u32> {
        let value = match memo::key(lower) {
            key @ (Key::Short(_) | Key::Medium(_)) if lower.is_ascii() => {
                self.table.find(wide(key)).ok()?
            }
            _ => *self.long.get(lower)?,
        };
        let id = value & NO_ID;
        (id != NO_ID).then_some(id)
    }

    /// A capitalised name starts a phrase of its own after a title or a lowercase word:
    /// "President Xi Jinping" gives "President" and "Xi Jinping", and the name is indexed.
    fn mark_titles(&mut self) {
        // "Secretary of State Mike Pompeo", "President of the United States Donald Trump": in
        // a capitalised run of three words or more after a title's "of", the last two are the
        // person.
        let mut i = 0;
        while i < self.occurrences.len() {
            if !self.occurrences[i].after_title_of {
                i += 1;
                continue;
            }
            let mut end = i + 1;
            while end < self.occurrences.len()
                && !self.occurrences[end].breaks
                && self.occurrences[end].capitalized
            {
                end += 1;
            }
            // "the Premier of New South Wales said": a place opening with "New" is one name of
            // three words; a person follows it only in a longer run.
            let place = usize::from(self.flags(self.occurrences[i].word) & NAME_START != 0);
            if end - i >= 3 + place && self.occurrences[i].capitalized {
                self.occurrences[end - 2].breaks = true;
            }
            i = end;
        }
        // "Vincent van Gogh", "von der Leyen": a particle before a capitalised word of the same
        // phrase is part of the name, and counts as written capitalised.
        for i in (0..self.occurrences.len().saturating_sub(1)).rev() {
            let (particle, next) = (self.occurrences[i], self.occurrences[i + 1]);
            if !particle.capitalized
                && self.flags(particle.word) & PARTICLE != 0
                && next.capitalized
                && !next.breaks
                && !next.initial
            {
                self.occurrences[i].capitalized = true;
            }
        }
        for i in 1..self.occurrences.len() {
            let (previous, current) = (self.occurrences[i - 1], self.occurrences[i]);
            let before_name = !current.breaks && current.capitalized && !current.initial;
            // "President Xi Jinping", "planetary scientist Vlada Stamenkovic": the name
            // stands apart from the words that describe it, unless the title is part of it
            // ("Pope Francis", "Queen Elizabeth"; but "Crown Prince | Mohammed bin Salman").
            if before_name
                && (!previous.capitalized
                    || (self.flags(previous.word) & TITLE != 0
                        && !(previous.breaks
                            && REGNAL.binary_search(&self.word(previous.word)).is_ok())
                        && self.flags(current.word) & TITLE == 0
                        && !(self.word(previous.word) == "general"
                            && GENERAL_NAMES.contains(&self.word(current.word)))
                        && NAME_HEADS.binary_search(&self.word(current.word)).is_err()))
            {
                self.occurrences[i].breaks = true;
            }
        }
    }

    /// Words of `text[from..to]` (one line), found by the analyzer's tokenizer; the gaps
    /// between them say where phrases break and sentences end.
    fn scan_line(
        &mut self,
        text: &str,
        from: usize,
        to: usize,
        headline: bool,
        sentence: &mut u32,
    ) {
        let line = &text[from..to];
        let mut tokens = Tokenizer::new(line);
        let mut pending_break = true;
        let mut initial = true;
        let mut paren_depth = 0u32;
        let mut paren_words = 0u32;
        let mut paren_start = self.occurrences.len();
        let mut previous_end = 0;
        // Whether the words since the last kept one are a title's "of" or "for" (and "the").
        let mut title_of = false;
        // Whether the last word was an "of" joining names before "the" ("Republic of the").
        let mut of_the = false;
        // Whether the last word was a "v" or "vs" joining two names ("Roe v Wade").
        let mut versus = false;
        // Whether the words since the last kept one are "told" or "according to" (and "the").
        let mut citing = false;
        // Whether the words since the last kept one are a joining "of" or "for" (and "the").
        let mut joining = false;
        // Whether the last word was a determiner ("the", "a", "its").
        let mut determiner = false;
        let mut held = tokens.next_token();
        while let Some(Span {
            mut start, mut end, ..
        }) = held
        {
            // "Secretary-General", "cyber-security": words joined by one hyphen are one.
            held = tokens.next_token();
            while let Some(Span {
                start: next_start,
                end: next_end,
                ..
            }) = held
            {
                if matches!(&line[end..next_start], "-" | "\u{2010}" | "\u{2011}") {
                    end = next_end;
                    held = tokens.next_token();
                } else {
                    break;
                }
            }
            let last_capitalized = self
                .occurrences
                .last()
                .is_some_and(|o| o.capitalized && o.end as usize == from + previous_end);
            // "George W. Bush", "Timothy D. Cook": a middle initial right after a capitalised
            // word is passed over here, and the gap around it joins the name (below). "I", "V"
            // and "X" after a word that numbers are numerals ("World War I. Germany..."), not
            // initials ("Sergey V. Lavrov").
            if end == start + 1
                && line.as_bytes()[start].is_ascii_uppercase()
                && !is_numeral(line.as_bytes()[start], &line[..previous_end])
                && line.as_bytes().get(end) == Some(&b'.')
                && last_capitalized
                && (&line[previous_end..start] == " "
                    || is_initials_gap(&line[previous_end..start]))
            {
                continue;
            }
            let gap = &line[previous_end..start];
            let before = &line[..previous_end];
            let saint = gap == ". "
                && (before.ends_with("St") || before.ends_with("Mt") || before.ends_with("Ft"));
            let initials = last_capitalized
                && line[start..].starts_with(char::is_uppercase)
                && is_initials_gap(gap)
                && !(gap.len() == 4 && is_numeral(gap.as_bytes()[1], before));
            // "Roe v. Wade": the period of a "v." joining two names ends no sentence.
            let versus_period = versus && gap == ". ";
            // "4&ndash;3", "AT&amp;T": an HTML entity left in scraped text is no word.
            let entity = gap.ends_with('&') && line.as_bytes().get(end) == Some(&b';');
            // "Procter & Gamble", "Standard & Poor's": an ampersand between capitalised words.
            let ampersand = !entity
                && matches!(gap, " & " | "&")
                && line[start..].starts_with(char::is_uppercase)
                && last_capitalized;
            // "Kurdistan Workers' Party", "Teachers' Union": a plural possessive before a
            // body's head noun, inside a capitalised name (not "Paris' CAC").
            let possessive = matches!(gap, "' " | "\u{2019} ")
                && before.ends_with('s')
                && line[start..].starts_with(char::is_uppercase)
                && {
                    let next = line[start..end].to_lowercase();
                    NAME_HEADS.binary_search(&next.as_str()).is_ok()
                        || BODY_ENDS.contains(&next.as_str())
                }
                && last_capitalized;
            // "People's Republic of China", "Boston Children's Hospital", "London Gay Men's
            // Chorus": a plural without an -s, possessive inside a capitalised name.
            let plural_possessive = last_capitalized
                && matches!(gap, "'s " | "\u{2019}s ")
                && line[start..].starts_with(char::is_uppercase)
                && matches!(last_word(before), "Children" | "Men" | "People" | "Women");
            if saint || ampersand || possessive || plural_possessive || initials || versus_period {
                // "St. Petersburg", "Procter & Gamble": one name.
            } else if !gap.bytes().all(|b| b == b' ' || b == b'\t') {
                pending_break = true;
                for c in gap.chars() {
                    match c {
                        '(' | '[' => {
                            paren_depth += 1;
                            paren_words = 0;
                            paren_start = self.occurrences.len();
                        }
                        ')' | ']' if paren_depth > 0 => {
                            // A short aside is a tag or an acronym: "(AP)", "(NATO)".
                            if paren_words <= 3 {
                                self.occurrences.truncate(paren_start);
                            }
                            paren_depth -= 1;
                        }
                        '.' | '!' | '?' if previous_end > 0 => {
                            // Not after an abbreviation or an initial ("Mr.", "J.").
                            let before = &line[..previous_end];
                            let last = last_word(before);
                            let abbreviation = c == '.'
                                && (last.chars().nth(1).is_none() || is_abbreviation(last));
                            if !abbreviation && !initial {
                                *sentence += 1;
                                initial = true;
                            }
                        }
                        _ => {}
                    }
                }
            }
            previous_end = end;
            start = start.min(end);
            if paren_depth > 0 {
                paren_words += 1;
            }
            // "New South Wales police said": "New" opening a sentence still starts a name.
            let name_follows = initial
                && held.is_some_and(
                    |Span {
                         start: next_start, ..
                     }| {
                        next_start == end + 1 && line[next_start..].starts_with(char::is_uppercase)
                    },
                );
            let kept = !entity
                && self.push_word(
                    text,
                    from + start,
                    from + end,
                    *sentence,
                    pending_break,
                    initial && !name_follows,
                    headline,
                );
            let word = &line[start..end];
            let spaced = |gap: &str| gap.bytes().all(|b| b == b' ');
            let cited = citing && spaced(gap);
            let determined = determiner && spaced(gap);
            // "a shopping cart", "the firing squad": a determiner opens a noun phrase.
            determiner = !kept && is_determiner(word);
            citing = !kept
                && matches!(word.as_bytes().first().map(|b| b | 0x20), Some(b'a' | b't'))
                && (word.eq_ignore_ascii_case("told")
                    || word.eq_ignore_ascii_case("according")
                    || (citing
                        && (word.eq_ignore_ascii_case("to") || word.eq_ignore_ascii_case("the"))));
            if kept {
                if let Some(last) = self.occurrences.last_mut() {
                    last.cited = cited;
                    last.initial = initial;
                    last.after_title_of = title_of && spaced(gap);
                    last.joined = joining;
                    last.determined = determined;
                }
                title_of = false;
            } else if word.len() <= 3 {
                let after_title = self.occurrences.last().is_some_and(|o| {
                    o.capitalized
                        && self.flags(o.word) & TITLE != 0
                        && o.end as usize + 1 == from + start
                });
                title_of = if word.eq_ignore_ascii_case("of") || word.eq_ignore_ascii_case("for") {
                    after_title
                } else {
                    title_of && spaced(gap) && word.eq_ignore_ascii_case("the")
                };
            } else {
                title_of = false;
            }
            // "Bank of America", "Church of Scientology": "of" between capitalised words
            // (one space each side) joins them into one name, when one word comes before it
            // ("Marco Rubio of Florida" is a person and a place).
            // After a head noun, any number of words may come before "of", and "the" after it
            // ("Scripps Institution of Oceanography", "Republic of the Congo").
            let joins_names = if of_the {
                // The "the" of a joining "of the".
                of_the = false;
                !kept && word.eq_ignore_ascii_case("the")
            } else if !kept
                && !title_of
                && word.eq_ignore_ascii_case("of")
                && line.as_bytes().get(start.wrapping_sub(1)) == Some(&b' ')
                && line.as_bytes().get(end) == Some(&b' ')
            {
                let head = self.occurrences.last().and_then(|o| {
                    (o.capitalized && o.end as usize + 1 == from + start).then(|| {
                        (
                            o.breaks,
                            NAME_HEADS.binary_search(&self.word(o.word)).is_ok(),
                        )
                    })
                });
                let capital_at = |at: usize| line[at..].starts_with(char::is_uppercase);
                let after = &line[end + 1..];
                match head {
                    Some((alone, head)) if alone || head => {
                        let the = head
                            && after
                                .as_bytes()
                                .get(..4)
                                .is_some_and(|b| b.eq_ignore_ascii_case(b"the "))
                            && capital_at(end + 5);
                        of_the = the;
                        the || held.is_some_and(
                            |Span {
                                 start: next_start, ..
                             }| {
                                next_start == end + 1 && capital_at(next_start)
                            },
                        )
                    }
                    _ => false,
                }
            } else if !kept
                && !title_of
                && word.eq_ignore_ascii_case("for")
                && line.as_bytes().get(start.wrapping_sub(1)) == Some(&b' ')
            {
                // "Center for Biological Diversity", "Institute for Fiscal Studies": "for"
                // after the head noun of a body named for its purpose joins a name of four
                // words at most (a longer one would be cut at four, so its parts stay apart).
                // Not after a legislature or a place: "asked Congress | for Ukraine aid".
                let before = self.occurrences.last().and_then(|o| {
                    (o.capitalized
                        && o.end as usize + 1 == from + start
                        && FOR_HEADS.binary_search(&self.word(o.word)).is_ok())
                    .then(|| {
                        // The whole phrase so far: its words all go into the key.
                        let run = self.occurrences.iter().rev();
                        1 + run.take_while(|o| !o.breaks).count()
                    })
                });
                before.is_some_and(|before| {
                    let after = name_words_after(&line[end..]);
                    after > 0 && before + after <= 4
                })
            } else {
                false
            };
            // "Roe v Wade", "Roe v. Wade", "Kramer vs. Kramer": a case's or title's parties
            // are one name.
            versus = !kept
                && (word == "v" || word == "vs")
                && last_capitalized
                && gap == " "
                && held.is_some_and(
                    |Span {
                         start: next_start, ..
                     }| {
                        matches!(&line[end..next_start], " " | ". ")
                            && line[next_start..].starts_with(char::is_uppercase)
                    },
                );
            joining = joins_names;
            pending_break = !kept && !joins_names && !versus;
            // Only the sentence's first word is initial, kept or not ("The Hague").
            initial = false;
        }
    }

    /// Records the word `text[start..end]` if it can be part of a keyword; returns whether it
    /// was.
    #[allow(clippy::too_many_arguments)]
    fn push_word(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        sentence: u32,
        breaks: bool,
        initial: bool,
        headline: bool,
    ) -> bool {
        // Most words are short ASCII: found by a key built in registers, in a table of this
        // document's words small enough to stay in cache; the word lists are searched once
        // per word and document.
        // A word that lowercases to short ASCII ("O\u{2019}Neill") is keyed as if so written.
        let packed = packed_key(text.as_bytes(), start, end - start)
            .map(wide)
            .or_else(|| {
                lowercase_into(&text[start..end], &mut self.lower);
                match memo::key(&self.lower) {
                    short @ (Key::Short(_) | Key::Medium(_)) if self.lower.is_ascii() => {
                        Some(wide(short))
                    }
                    _ => None,
                }
            });
        let entry = match packed {
            Some(key) => match self.table.find(key) {
                Ok(value) => Entry::Table(value, key),
                Err(slot) => {
                    let flags = word_flags(lower_bytes(&key.to_le_bytes()), narrow(key));
                    let value = u32::from(flags) << 24 | NO_ID;
                    self.table.fill(slot, key, value);
                    Entry::Table(value, key)
                }
            },
            None => {
                let value = match self.long.get(self.lower.as_str()) {
                    Some(&value) => value,
                    None => {
                        let flags = word_flags(self.lower.as_bytes(), memo::key(&self.lower));
                        let value = u32::from(flags) << 24 | NO_ID;
                        self.long.insert(self.lower.as_str().into(), value);
                        value
                    }
                };
                Entry::Long(value)
            }
        };
        let value = match entry {
            Entry::Table(value, _) | Entry::Long(value) => value,
        };
        let flags = (value >> 24) as u8;
        // "al-Quaety", "el-Sisi", "ash-Shara": an Arabic article before a capitalised name.
        let word = &text[start..end];
        let capitalized = word.chars().next().is_some_and(char::is_uppercase)
            || (matches!(
                word.as_bytes(),
                [b'a' | b'e', _, b'-', ..] | [b'a', _, _, b'-', ..]
            ) && ARTICLES.iter().any(|article| {
                word.get(..article.len())
                    .is_some_and(|head| head == *article)
                    && word[article.len()..].starts_with(char::is_uppercase)
            }));
        // "Theresa May", "Doris Day", "Independence Day": a date word written capitalised
        // right after a name, mid-sentence and not before a number, ends the name.
        let name_end = flags & NAME_END != 0
            && capitalized
            && !initial
            && !headline
            && self
                .occurrences
                .last()
                .is_some_and(|o| o.capitalized && o.end as usize + 1 == start)
            && text.as_bytes().get(start - 1) == Some(&b' ')
            && !text[end..]
                .trim_start_matches(' ')
                .starts_with(|c: char| c.is_ascii_digit());
        if flags & BREAK != 0 && !(flags & NAME_START != 0 && !initial && capitalized) && !name_end
        {
            return false;
        }
        if flags & LOWER_BREAK != 0 && (!capitalized || initial) {
            return false;
        }
        let mut id = value & NO_ID;
        if id == NO_ID {
            // First kept here: the word gets the next id.
            if self.bounds.len() >= MAX_WORDS {
                return false;
            }
            id = self.bounds.len() as u32;
            let from = self.arena.len() as u32;
            let value = u32::from(flags) << 24 | id;
            match entry {
                Entry::Table(_, key) => {
                    // ASCII: each byte of the key is one character.
                    let bytes = key.to_le_bytes();
                    let lower = lower_bytes(&bytes);
                    self.arena.extend(lower.iter().map(|&b| char::from(b)));
                    self.table.update(key, value);
                }
                Entry::Long(_) => {
                    // `lower` still holds the word, which is in the map (found or just added).
                    self.arena.push_str(&self.lower);
                    if let Some(stored) = self.long.get_mut(self.lower.as_str()) {
                        *stored = value;
                    }
                }
            }
            self.bounds.push((from, self.arena.len() as u32));
            self.flags.push(flags);
        }
        self.occurrences.push(Occurrence {
            word: id,
            start: start as u32,
            end: end as u32,
            sentence,
            breaks,
            capitalized,
            initial,
            headline,
            after_title_of: false,
            cited: false,
            joined: false,
            determined: false,
            caption: self.in_caption,
        });
        true
    }
}

/// Whether `word` is a determiner ("the", "a", "its"): what opens a noun phrase.
fn is_determiner(word: &str) -> bool {
    let is = |list: &[&str]| list.iter().any(|d| word.eq_ignore_ascii_case(d));
    match word.as_bytes() {
        [first, ..] if word.len() <= 5 => match first | 0x20 {
            b'a' => is(&["a", "an"]),
            b't' => is(&["the", "this", "that", "these", "those", "their"]),
            b'i' => is(&["its"]),
            b'h' => is(&["his", "her"]),
            b'o' => is(&["our"]),
            b'm' => is(&["my"]),
            b'y' => is(&["your"]),
            _ => false,
        },
        _ => false,
    }
}

/// How many capitalised words open `rest` (after one space), ending at punctuation; 0 when
/// the name goes on past them ("for Strategic and International Studies", but "for Biological
/// Diversity and Center for Food Safety" and "for Biological Diversity and the" end it).
fn name_words_after(rest: &str) -> usize {
    let Some(rest) = rest.strip_prefix(' ') else {
        return 0;
    };
    let mut words = 0;
    let mut tokens = rest.split(' ');
    while let Some(token) = tokens.next() {
        if !token.starts_with(char::is_uppercase) {
            // The name goes on only if a capitalised word follows the joining one.
            let next = tokens.next().unwrap_or("");
            let joins = next.starts_with(char::is_uppercase)
                && (matches!(token, "of" | "for")
                    || matches!(token, "and" | "&") && !is_name_head(&next.to_lowercase()));
            return if joins { 0 } else { words };
        }
        words += 1;
        if !token.ends_with(|c: char| c.is_alphanumeric()) {
            break;
        }
    }
    words
}

/// Whether the capital `letter` after `before` is a numeral ("World War I", "Phase V"), not
/// an initial ("Sergey V. Lavrov"): an "I", "V" or "X" after a word that numbers what follows.
fn is_numeral(letter: u8, before: &str) -> bool {
    if !matches!(letter, b'I' | b'V' | b'X') {
        return false;
    }
    const NUMBERED: &[&str] = &[
        "act", "annex", "article", "book", "category", "chapter", "class", "division", "grade",
        "level", "part", "phase", "round", "section", "stage", "tier", "title", "type", "vol",
        "volume", "war",
    ];
    let last = last_word(before.trim_end_matches(' '));
    last.len() <= 8 && NUMBERED.iter().any(|w| w.eq_ignore_ascii_case(last))
}

/// Whether `gap` is one to three initials between a first name and a surname: " W. ",
/// " H. W. ", " J.R.R. ".
fn is_initials_gap(gap: &str) -> bool {
    let Some(rest) = gap.strip_prefix(' ').and_then(|g| g.strip_suffix(' ')) else {
        return false;
    };
    let letters = rest.bytes().filter(u8::is_ascii_uppercase).count();
    (1..=3).contains(&letters)
        && rest.split_inclusive('.').all(|initial| {
            let initial = initial.trim_start_matches(' ').as_bytes();
            matches!(initial, [letter, b'.'] if letter.is_ascii_uppercase())
        })
}

/// Where a word's table value was found.
#[derive(Clone, Copy)]
enum Entry {
    Table(u32, u128),
    Long(u32),
}

/// A word table value with no word id yet: flags in the top byte, id in the low 24 bits.
const NO_ID: u32 = 0x00FF_FFFF;

/// A packed key as one integer: words of up to 8 bytes have a zero high half, longer ones a
/// non-zero one (their ninth byte), so the two kinds never meet.
fn wide(key: Key<'_>) -> u128 {
    match key {
        Key::Short(k) => u128::from(k),
        Key::Medium(k) => k,
        Key::Long(_) => unreachable!("packed keys are short or medium"),
    }
}

/// The inverse of [`wide`].
fn narrow(key: u128) -> Key<'static> {
    match u64::try_from(key) {
        Ok(short) => Key::Short(short),
        Err(_) => Key::Medium(key),
    }
}

/// The lowercase word packed in a key's bytes (zero-padded; words hold no NUL).
fn lower_bytes(bytes: &[u8; 16]) -> &[u8] {
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(16);
    &bytes[..len]
}

/// The flags of a lowercase word (`key` is its memo key): whether it breaks phrases (a stop
/// word, a reporting verb, a date, a number) and whether it is vague or a title.
fn word_flags(lower: &[u8], key: Key<'_>) -> u8 {
    // No letter, one character, or an ordinal ("3rd", "21st"): a number, never a keyword.
    let letterless_or_short = if lower.is_ascii() {
        !lower.iter().any(u8::is_ascii_lowercase) || lower.len() == 1
    } else {
        let word = String::from_utf8_lossy(lower);
        !word.chars().any(char::is_alphabetic) || word.chars().nth(1).is_none()
    };
    // A number with a unit or an ordinal ending ("3rd", "00pm", "$5m", "1990s", "40km").
    let measure = lower.first().is_some_and(u8::is_ascii_digit) && {
        let unit = lower.trim_ascii_start();
        let at = unit
            .iter()
            .position(|b| !(b.is_ascii_digit() || matches!(b, b'.' | b',')))
            .unwrap_or(unit.len());
        UNITS.binary_search(&&unit[at..]).is_ok()
    };
    let not_a_word = letterless_or_short || measure;
    // "Fourteen-year-old", "62-year-old": an age describes a person; it is no index term.
    if not_a_word || memchr::memmem::find(lower, b"-year-old").is_some() {
        return BREAK;
    }
    static LISTED: OnceLock<Memo> = OnceLock::new();
    let listed = LISTED.get_or_init(|| {
        let mut listed = Memo::default();
        for &word in PARTICLES {
            listed.insert(word, u32::from(PARTICLE));
        }
        listed.insert("prime", u32::from(ROLE));
        for word in lists::all_words() {
            let flags = if lists::is_break(word) {
                BREAK
                    | (u8::from(NAME_STARTS.contains(&word)) * NAME_START)
                    | (u8::from(NAME_ENDS.contains(&word)) * NAME_END)
            } else {
                (u8::from(lists::is_vague(word)) * VAGUE)
                    | (u8::from(lists::is_title(word)) * TITLE)
                    | (u8::from(lists::breaks_in_lower_case(word)) * LOWER_BREAK)
            };
            listed.insert(word, u32::from(flags));
        }
        listed
    });
    match listed.get_key(key) {
        Some(flags) => flags as u8,
        // A plural title stands before names too ("Senators Marco Rubio and Mike Lee").
        None => match lower.strip_suffix(b"s").map(std::str::from_utf8) {
            Some(Ok(singular)) if !singular.is_empty() => {
                listed.get(singular).map_or(0, |flags| flags as u8) & TITLE
            }
            _ => 0,
        },
    }
}

/// Slots of a [`WordTable`]: a packed key, the document it was filled in, and its value.
#[derive(Debug, Clone, Copy, Default)]
struct WordSlot {
    low: u64,
    high: u64,
    epoch: u32,
    value: u32,
}

/// A document's words by packed key: open addressing, linear probing, at most half full. A
/// slot belongs to the current document only if stamped with its `epoch`, so starting a
/// document clears nothing.
#[derive(Debug, Clone, Default)]
struct WordTable {
    slots: Vec<WordSlot>,
    len: usize,
    epoch: u32,
}

impl WordTable {
    /// Slots of a new table (24 KiB: room for 512 distinct words).
    const SLOTS: usize = 1024;

    fn start_document(&mut self) {
        self.len = 0;
        self.epoch = self.epoch.wrapping_add(1);
        // A long document's table is dropped: the next ones fit in a small one, in cache.
        if self.epoch == 0 || self.slots.len() != Self::SLOTS {
            self.slots = vec![WordSlot::default(); Self::SLOTS];
            self.epoch = 1;
        }
    }

    fn home(&self, key: u128) -> usize {
        let (low, high) = (key as u64, (key >> 64) as u64);
        let mixed =
            (low ^ high.wrapping_mul(0xC2B2_AE3D_27D4_EB4F)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    /// The value of `key`, or the free slot where it belongs.
    #[inline(always)]
    fn find(&self, key: u128) -> Result<u32, usize> {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let slot = &self.slots[at];
            if slot.epoch != self.epoch {
                return Err(at);
            }
            if slot.low == key as u64 && slot.high == (key >> 64) as u64 {
                return Ok(slot.value);
            }
            at = (at + 1) & mask;
        }
    }

    /// Fills the free slot `at` (from [`WordTable::find`]) with `key`.
    fn fill(&mut self, at: usize, key: u128, value: u32) {
        self.slots[at] = WordSlot {
            low: key as u64,
            high: (key >> 64) as u64,
            epoch: self.epoch,
            value,
        };
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
    }

    /// Sets the value of `key`, which is in the table.
    fn update(&mut self, key: u128, value: u32) {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let slot = &mut self.slots[at];
            if slot.epoch == self.epoch && slot.low == key as u64 && slot.high == (key >> 64) as u64
            {
                slot.value = value;
                return;
            }
            at = (at + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![WordSlot::default(); size]);
        let epoch = self.epoch;
        for slot in old.into_iter().filter(|s| s.epoch == epoch) {
            let key = u128::from(slot.low) | u128::from(slot.high) << 64;
            if let Err(at) = self.find(key) {
                self.slots[at] = slot;
            }
        }
    }
}

/// `raw` lowercased into `lower` (cleared first) as the analyzer lowercases, apostrophes as
/// one kind.
fn lowercase_into(raw: &str, lower: &mut String) {
    crate::analysis::lowercase_into(raw, lower);
    if !raw.is_ascii() && lower.contains('\u{2019}') {
        *lower = lower.replace('\u{2019}', "'");
    }
}

/// Whether the first line is a headline: short, no closing full stop, more text after it.
fn is_headline(line: &str, rest: &str) -> bool {
    !rest.trim().is_empty()
        && line.split_whitespace().count() <= 25
        && !line.ends_with(['.', ':', ';', ','])
}

/// Credits, bylines, links and legal lines: no keyword comes from them.
fn is_boilerplate(line: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "(reporting",
        "(this story",
        "additional reporting",
        "adjust font",
        "advertisement",
        "all rights reserved",
        "click here",
        "compiled by",
        "copyright",
        "editing by",
        "file photo",
        "follow us",
        "image:",
        "photo:",
        "read more",
        "related coverage",
        "related:",
        "reporting by",
        "share this",
        "sign up",
        "subscribe",
        "this story has been",
        "writing by",
        "\u{a9}",
    ];
    // Most lines start with a letter no prefix starts with: one test, no allocation.
    let first = line.as_bytes()[0].to_ascii_lowercase();
    let can_match = matches!(
        first,
        b'(' | b'a' | b'b' | b'c' | b'e' | b'f' | b'i' | b'p' | b'r' | b's' | b't' | b'w'
    ) || !first.is_ascii();
    // The markers are ASCII (but for the copyright sign): compared ignoring ASCII case.
    let starts = |marker: &str| {
        line.as_bytes()
            .get(..marker.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(marker.as_bytes()))
    };
    if can_match && PREFIXES.iter().any(|p| starts(p)) {
        // A credit or legal line is short: a paragraph that opens with a photo credit and
        // runs on ("File photo of ... won the first ever ...") is the article, not
        // boilerplate. Words are counted only here, where a marker opens the line.
        return line.split_whitespace().nth(60).is_none();
    }
    if line.split_whitespace().nth(12).is_some() {
        return false;
    }
    // "By Jane Ossei, Business Reporter"; "Agency, May 3, 2015 Adjust font size:"
    let contains = |marker: &str| {
        line.as_bytes()
            .windows(marker.len())
            .any(|w| w.eq_ignore_ascii_case(marker.as_bytes()))
    };
    starts("by ")
        || [
            "all rights reserved",
            "adjust font",
            "font size",
            "print this",
            "email this",
        ]
        .iter()
        .any(|m| contains(m))
}

/// Where a photo credit ending a caption starts ("The spire. Image: Remi Mathis."), or the
/// line's length: the photographer is no index term of the story.
fn credit_start(line: &str) -> usize {
    const MARKERS: &[&str] = &[
        "Image:",
        "Photo:",
        "Photograph:",
        "Credit:",
        "Photo credit:",
    ];
    // Every marker ends in a colon: most lines have none.
    let Some(first_colon) = memchr::memchr(b':', line.as_bytes()) else {
        return line.len();
    };
    let bytes = line.as_bytes();
    for colon in memchr::memchr_iter(b':', &bytes[first_colon..]).map(|at| at + first_colon) {
        for marker in MARKERS {
            let Some(at) = (colon + 1).checked_sub(marker.len()) else {
                continue;
            };
            // "Credit:" is also a word of prose ("Consumer Credit: banks reported"): it marks
            // a credit only where a line, sentence or bracket opens.
            let opens = at == 0
                || matches!(bytes[at - 1], b'.' | b'(' | b')' | b'\t')
                || bytes[at - 1] == b' '
                    && (*marker != "Credit:"
                        || at >= 2 && matches!(bytes[at - 2], b'.' | b')' | b'"'));
            if &line.as_bytes()[at..=colon] == marker.as_bytes() && opens {
                // "(Image: Patrick Gillett)": the opening bracket goes too.
                return line[..at].trim_end_matches([' ', '(']).len();
            }
        }
    }
    line.len()
}

/// The last run of letters and digits that `text` ends with ("Gov" of "greet Gov"), or "".
fn last_word(text: &str) -> &str {
    text.rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
}

/// Whether `word` is an abbreviation whose full stop ends no sentence ("Mr", "Gov").
fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS
        .binary_search(&word.to_ascii_lowercase().as_str())
        .is_ok()
}

/// Where the caption that a photo credit ends starts in `before`, the text before the credit:
/// past the last full stop, question or exclamation mark that ends a sentence (not an
/// initial's, "George W. Bush"), else 0: the line up to the credit is the caption.
fn caption_start(before: &str) -> usize {
    let bytes = before.as_bytes();
    let mut at = bytes.len();
    while let Some(found) = memchr::memrchr3(b'.', b'?', b'!', &bytes[..at]) {
        at = found;
        // The word the stop ends: an initial ("George W. Bush") or an abbreviation ("Gov.
        // Andrew Cuomo") ends no sentence.
        let word = last_word(&before[..found]);
        let short = bytes[found] == b'.'
            && (word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase()
                || is_abbreviation(word));
        // Closing quotation marks or brackets may follow the stop ("held firm.\u{201d}").
        let rest = before[found + 1..].trim_start_matches(['"', ')', '\u{201d}', '\u{2019}']);
        if !short && rest.starts_with(' ') {
            return before.len() - rest.len() + 1;
        }
    }
    0
}

/// Where the text after the photo credit starting at `start` resumes: past the full stop (or
/// closing bracket) that ends the credit's sentence, before a capital or a quotation mark;
/// the line's length when the credit runs to its end, or is wiki markup with no space after
/// its colon ("Image:Sparkler.JPG|Sparkler reaction. Photograph by ..."). An initial's full
/// stop ("Image: G. dallorto.") ends nothing.
fn credit_end(line: &str, start: usize) -> usize {
    let bytes = line.as_bytes();
    let spaced = memchr::memchr(b':', &bytes[start..])
        .is_some_and(|colon| bytes.get(start + colon + 1) == Some(&b' '));
    if !spaced {
        return line.len();
    }
    let mut at = start;
    while let Some(found) = memchr::memchr2(b'.', b')', &bytes[at..]) {
        let end = at + found;
        let initial = bytes[end] == b'.'
            && end >= 2
            && bytes[end - 1].is_ascii_uppercase()
            && matches!(bytes[end - 2], b' ' | b'.');
        let next = line[end + 1..].strip_prefix(' ');
        if !initial
            && next.is_some_and(|next| {
                next.starts_with(|c: char| c.is_uppercase() || matches!(c, '"' | '\u{201c}' | '('))
            })
        {
            return end + 2;
        }
        at = end + 1;
    }
    line.len()
}

/// Bytes of a dateline opening a paragraph ("LONDON -", "NAIROBI, March 3 (Agency) —"), or 0.
fn dateline_len(line: &str) -> usize {
    let mut cut = line.len().min(90);
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let window = &line[..cut];
    // Every dash looked for is a hyphen or starts with byte 0xE2 (em and en dashes).
    if memchr::memchr2(b'-', 0xE2, window.as_bytes()).is_none() {
        return 0;
    }
    for dash in [" \u{2014} ", " \u{2013} ", " - ", "\u{2014}", " -- "] {
        if let Some(at) = window.find(dash) {
            let prefix = &line[..at];
            let words = prefix.split_whitespace().count();
            let first = prefix.split([' ', ',']).next().unwrap_or("");
            let shouting = first.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !first.chars().any(char::is_lowercase);
            if words <= 9 && (shouting || prefix.trim_end().ends_with(')')) {
                return at + dash.len();
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut scan = Scan::default();
        scan.run(text);
        scan.occurrences
            .iter()
            .map(|o| {
                let mark = if o.breaks { "|" } else { "" };
                format!("{mark}{}", &text[o.start as usize..o.end as usize])
            })
            .collect()
    }

    #[test]
    fn searched_lists_are_sorted_and_distinct() {
        for list in [
            THING_ENDS,
            REGNAL,
            NAME_HEADS,
            FOR_HEADS,
            BODY_ENDS,
            COMPOUND_HEADS,
            ABBREVIATIONS,
            PARTICLES,
            GENERAL_NAMES,
        ] {
            assert!(
                list.windows(2).all(|w| w[0] < w[1]),
                "{:?}",
                list.windows(2).find(|w| w[0] >= w[1])
            );
        }
        assert!(UNITS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn phrases_break_at_stop_words_punctuation_and_dates() {
        assert_eq!(
            words("The Secretary-General said on Tuesday that cyber sovereignty, not trade, mattered."),
            ["|Secretary-General", "|cyber", "sovereignty", "|trade", "|mattered"]
        );
    }

    #[test]
    fn datelines_bylines_tags_and_credits_are_skipped() {
        let text = "Talks collapse in Geneva\n\nBy Jane Ossei, Staff Reporter\n\nGENEVA, May 3 (Agency) - Negotiators left Geneva.\n\nReporting by Tom Lee; Editing by Ann Wu\n";
        assert_eq!(
            words(text),
            [
                "|Talks",
                "collapse",
                "|Geneva",
                "|Negotiators",
                "left",
                "|Geneva"
            ]
        );
    }

    /// Word ids name lowercase forms one to one, through table growth (a document of 3,000
    /// distinct words), in long and non-ASCII words, and from one document to the next.
    #[test]
    fn word_ids_name_lowercase_forms_one_to_one_across_documents() {
        let mut scan = Scan::default();
        let long: Vec<String> = (0..3000).map(|i| format!("Word{i}x w{i}y")).collect();
        let documents = [
            long.join(" "),
            "Caf\u{e9} CAF\u{c9} internationalization Internationalization O\u{2019}Neill O'Neill"
                .into(),
            "cyber Cyber sovereignty w5y".into(),
            long.join(" "),
        ];
        for text in &documents {
            scan.run(text);
            let mut by_form = std::collections::HashMap::new();
            for o in &scan.occurrences {
                let written = &text[o.start as usize..o.end as usize];
                let lower = written.to_lowercase().replace('\u{2019}', "'");
                assert_eq!(scan.word(o.word), lower, "{written}");
                assert_eq!(*by_form.entry(lower).or_insert(o.word), o.word, "{written}");
            }
            let ids: std::collections::HashSet<u32> = by_form.values().copied().collect();
            assert_eq!(
                (ids.len(), scan.word_count()),
                (by_form.len(), by_form.len())
            );
        }
    }

    #[test]
    fn a_long_paragraph_opening_like_a_credit_is_kept() {
        let body = "File photo of the driver. ".to_string()
            + &"Alonso won the race in heavy rain at Yeongam. ".repeat(8);
        let text = format!("Alonso wins in Korea\n\n{body}\n\nFile photo: Agency\n");
        let found = words(&text);
        assert!(found.len() > 40, "{found:?}");
        assert!(!found.iter().any(|w| w.ends_with("Agency")), "{found:?}");
    }

    #[test]
    fn possessives_go_and_sentences_are_numbered() {
        let mut scan = Scan::default();
        scan.run("China's envoy greeted Mr. Smith. Smith's aides waited.");
        let found: Vec<(&str, u32, bool)> = scan
            .occurrences
            .iter()
            .map(|o| (scan.word(o.word), o.sentence, o.initial))
            .collect();
        assert_eq!(
            found,
            [
                ("china", 1, true),
                ("envoy", 1, false),
                ("greeted", 1, false),
                ("smith", 1, false),
                ("smith", 2, true),
                ("aides", 2, false),
                ("waited", 2, false),
            ]
        );
    }
}
