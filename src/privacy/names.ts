import { readFileSync } from 'node:fs';
import { faker } from '@faker-js/faker/locale/nl';
import { DEFAULT_SERVICE_POINTS_FILE } from '../config/service-points.js';

// Names of people in free text. Two signals, each cheap: a word that is a known first or last name
// (faker's Dutch locale, plus names older and migrant residents of the areas carry that its list of
// baby names lacks), and a relation or introduction word before a capitalised word ("buurman Piet",
// "mevrouw Kusters", "ik heet Sjef"). Names that are also ordinary words ("Roos", "Mark", "Storm")
// count only with such a context or a surname after them.

const lower = (words: Iterable<string>) => new Set([...words].map((w) => w.toLowerCase()));

const person = faker.rawDefinitions.person;

/** First names older residents of Maastricht and its migrant families carry (faker's list is of babies). */
const MORE_FIRST_NAMES =
  `Piet Wim Henk Gerard Johan Jos Jo Sjef Sjaak Sjra Har Harrie Lei Leo Wiel Math Mathieu Hub Huub
  Servé Fons Frans Jef Jean Pierre René Roger Jacques Ger Hans Ton Toon Twan Theo Willy Rob Ron Eric Erik Frank
  Fred Harry Jeroen Karel Marco Michel Patrick Raymond Richard Roland Roy Ruud Paul Peter John Wilco Guido Marcel
  Truus Mien Mia Annie Ria Marij Mariet Thea Wil Els Ans Joke Gerda Greet Tiny Nel Bep Toos Ineke Marja Monique
  Yvonne Chantal Patricia Sandra Wendy Nicole Astrid Brigitte Danielle Mariëlle Petra Anita Carla José Lies
  Liesbeth Mieke Jolanda Ingrid Martine Marleen Linda Marieke Anneke Annemarie Hanneke Sanne Lisa Kim Lotte
  Fatma Ayşe Ayse Emine Hatice Hüseyin Huseyin Hasan Hassan Hussein Said Rachid Abdel Karim Samira Latifa
  Malika Naima Yasmina Khalid Mourad Abdelkader Driss Hamid Mimoun Aziz Jamal Murat Ömer Omer Kemal Hakan
  Serkan Burak Emre Fatih Ayhan Sibel Songül Gül Dilek Agnieszka Piotr Tomasz Rami Rania Hala Dragan Milan
  Goran Zoran Jasmina Mo Mohammed Mustapha Ilias Anouar`.split(/\s+/);

/** Surnames common in Maastricht and among its Turkish and Moroccan families. */
const MORE_LAST_NAMES =
  `Kusters Wetzels Vossen Lemmens Brouns Coenen Ramakers Ramaekers Schepers Habets Houben Kicken
  Meertens Nijsten Ortmans Pluijmen Quaedvlieg Ruijters Schreurs Senden Stassen Thewissen Ummels Vaessen
  Bemelmans Bessems Bours Claessens Debets Dirix Frijns Geurts Hamers Heijnen Huijnen Jeurissen Knops Lardinois
  Maessen Mertens Notermans Paulissen Pinckaers Rutten Savelberg Souren Steijns Vencken Wolfs Vliegen Dingemans
  Yılmaz Yilmaz Kaya Demir Şahin Sahin Çelik Celik Yıldız Yildiz Yıldırım Öztürk Ozturk Aydın Aydin Özdemir
  Arslan Doğan Dogan Kılıç Kilic Aslan Çetin Koç Özkan Amrani Idrissi Bouzid Benali Khatib Bakkali Boukhari
  Haddou Chaouch Ouali Azzouzi Johnson Smith Brown Williams Jones Kowalski Nowak Petrović Jovanović`.split(
    /\s+/,
  );

const FIRST_NAMES = lower([
  ...(person?.first_name?.generic ?? []),
  ...(person?.first_name?.female ?? []),
  ...(person?.first_name?.male ?? []),
  ...MORE_FIRST_NAMES,
]);
/** Last names as written ("de vries"), and their last word ("vries"). */
const LAST_NAMES = lower([...(person?.last_name?.generic ?? []), ...MORE_LAST_NAMES]);
const LAST_NAME_CORES = new Set([...LAST_NAMES].map((n) => n.split(' ').at(-1)!));

/**
 * Names that are also ordinary Dutch or English words, or a river: blanked only after a relation or
 * greeting word or before a surname ("mijn buurman Mark", "Mark Smeets"), never as a plain word.
 */
const NAMES_THAT_ARE_WORDS = lower(
  `Ben Bas Wil Kees Mark Roos Rose Rosa Storm Max Floor Maan Lieve Jan Job Wolf Maas Jack Kick Flip Fleur Lot Jet
  Iris Amber Jade Grace Joy June Skye Stella Ivy Puck Pip Teddy Ruby Sterre Vive Wende Luna Linde Mare Bo Sam Lou
  Dies Don Lex Mike Miles Nick Oscar Rover Stan Ted Vesper Riff Mink Moos Mik Loet Sil Len Lev Lux Mex Nox Fos
  Kai Kay Sep Sev Zef Riv Ace Eden Chase Jay Dean Can Ole Mees Toon Rein Nine Noor Nova Beau Isa Robin Charlie Jip
  Dani Quinn Bella Fay Faye Hope Rein Sef Dex Boet Fien Elle Said Frans Jean Ton Els Lies Math Gül Hub Jo Tiny
  Joke Ans Nel Ger Eef Fem Lune Mae Saar Sare Safa Dua Hira Aya Deniz Umut Emir Kaan Arda Kerem Mert Aras
  Indy Juno Nena Loa Pola Puk Jazz Liv Lien Ise Ize Mats Bob Ties`.split(/\s+/),
);
/** Surnames that are ordinary words (baker, cook, king, green …): only with a first name or relation word. */
const SURNAMES_THAT_ARE_WORDS = lower(
  `Bakker Visser Kok Koning Klein Groen Post Boer Bos Bosch Vos Mol Maas Kramer Schipper Molenaar Jonker Kuiper
  Brouwer Meijer Mulder Vink Dekker Huisman Hofman Prinsen Haan Lange Wit Groot Graaf Leeuw Jong Jonge Ruiter Dam
  Dijk Veen Beek Loon Doorn Brink Meer Pol Wal Berg Broek Heuvel Velde Laan Horst Linden Meulen Ven Velden Adel
  Corte Nijs Moors Evers Blom Bijl Koç Kurt Smith Brown Jones Wijk Vliet`.split(/\s+/),
);

/** Words before a name: relations, titles and roles ("mijn buurman Piet", "dhr. Wetzels"). */
const RELATIONS = lower(
  `buurman buurvrouw buurjongen buurmeisje overbuurman overbuurvrouw mevrouw mevr mw mvr meneer mijnheer heer dhr
  hr juf juffrouw meester tante oom opa oma zoon dochter man vrouw echtgenoot echtgenote partner vriend vriendin
  moeder vader mama papa broer zus zuster neef nicht kleinzoon kleindochter schoonzoon schoondochter schoonmoeder
  schoonvader kleinkind collega familie fam wijkagent huisarts dokter dr wijkverpleegkundige begeleider consulent
  contactpersoon neighbour neighbor mr mrs ms miss son daughter husband wife mother father brother sister friend
  aunt uncle komşum komşu komsum arkadaşım`.split(/\s+/),
);
/** "ik heet", "mijn naam is": any capitalised word after them is a name. */
const NAMING = [['ik', 'heet'], ['mijn', 'naam', 'is'], ['my', 'name', 'is'], ['adım'], ['adim'], ['ismim']];
/** Greetings and phrases before a name: a known name after them counts, also one that is a word. */
const GREETINGS = [
  ['ik', 'ben'],
  ['i', 'am'],
  ['groet'],
  ['groeten'],
  ['groetjes'],
  ['gr'],
  ['mvg'],
  ['liefs'],
  ['hoi'],
  ['hallo'],
  ['hey'],
  ['hi'],
  ['beste'],
  ['bedankt'],
  ['dank'],
  ['thanks'],
  ['ask'],
  ['aan'],
  ['tegen'],
  ['naar'],
  ['met'],
  ['gevraagd'],
  ['kent'],
];

/** Tussenvoegsels and particles inside a name ("de Vries", "van der Berg", "El Amrani"). */
const PARTICLES = new Set(
  `van de der den het 't t ter ten te in op la le du da di del el al ben bin abu von vd`.split(' '),
);
/** A name never directly follows these: "Sint Pieter", "Onze Lieve Vrouwe", "koning Willem". */
const TITLES = new Set(`sint st onze koning koningin prins prinses paus heilige`.split(' '));
/** Nor an article, unless a surname follows: "de Maas", but "vraag het Lotte van Dijk". */
const ARTICLES = new Set(`de het een 't the a`.split(' '));

/** Places, organisations and ordinary capitalised words that are never (part of) a person's name. */
const NEVER = lower([
  ...`Maastricht Nazareth Pottenberg Limmel Wyckerpoort Wittevrouwenveld Malberg Malpertuis Caberg Mariaberg
  Belfort Dousberg Hazendans Brusselsepoort Amby Heer Heugem Randwyck Wyck Jekerdal Scharn Limburg Nederland
  Meerssen Heerlen Sittard België Duitsland Trefpunt Buurtbrök Trajekt Woonpunt Servatius Maasvallei Envida
  Gemeente GGD Politie Wijkteam UMC Zuyd Jumbo Lidl Aldi Action Kruidvat Hema Blokker Instagram Facebook
  WhatsApp Telegram Google Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Januari Februari Maart
  April Mei Juni Juli Augustus September Oktober November December Pasen Kerst Kerstmis Ramadan Suikerfeest
  Offerfeest Carnaval God Allah Jezus Ik Je Jij Hij Zij Ze We Wij Het De Een En Of Maar Dus Is Was Van Voor
  Naar Met Op In Aan Bij Die Dat Deze Dit Niet Wel Ook Nog Al Er Daar Hier Heeft Zegt Kan Gaat Komt Woont
  Wie Wat Waar Hoe Waarom The And He She They It Is My Our Your Please Thanks Ok Oké Hallo Hoi Groetjes`.split(
    /\s+/,
  ),
  ...servicePointWords(),
]);

/** The words of the service points' names ("'t Trefpunt", "De Buurtbrök"): never a person. */
function servicePointWords(): string[] {
  try {
    const points = JSON.parse(readFileSync(DEFAULT_SERVICE_POINTS_FILE, 'utf8')) as Record<string, unknown>;
    return Object.values(points)
      .flatMap((p) => (typeof p === 'object' && p && 'name' in p ? String(p.name).split(/[\s']+/) : []))
      .filter((w) => w.length > 2);
  } catch {
    return [];
  }
}

interface Token {
  start: number;
  end: number;
  lower: string;
  /** Starts with a capital and is not written in capitals only. */
  capital: boolean;
  /** First word of a sentence (or of the text, or after a line break). */
  opening: boolean;
  /** Followed by a dot straight away ("dhr.", "J."). */
  dot: boolean;
}

const WORD = /\p{L}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*/gu;
const SENTENCE_END = /[.!?\n…"“(•]$/;

function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const start = m.index;
    const before = text.slice(Math.max(0, start - 4), start).trimEnd();
    const previous = out.at(-1);
    const afterAbbreviation =
      previous?.dot === true && (RELATIONS.has(previous.lower) || previous.end - previous.start === 1);
    out.push({
      start,
      end: start + word.length,
      lower: word.toLowerCase(),
      capital: /^\p{Lu}/u.test(word) && (word.length === 1 || word !== word.toUpperCase()),
      opening: (before === '' || SENTENCE_END.test(before)) && !afterAbbreviation,
      dot: text[start + word.length] === '.',
    });
  }
  return out;
}

/** Only spaces (and a dot after an initial or abbreviation) between two words of a name. */
function joined(text: string, a: Token, b: Token): boolean {
  const gap = text.slice(a.end, b.start);
  return /^[ \t]{1,2}$/.test(gap) || (a.dot && /^\.[ \t]?$/.test(gap));
}

/** Spaces, a comma or a colon between a context word and the name it introduces ("dhr. " too). */
function introduces(text: string, a: Token, b: Token): boolean {
  const gap = text.slice(a.end, b.start);
  if (/^[ \t]{0,2}[,:]?[ \t]{0,2}$/.test(gap) && gap !== '') return true;
  return a.dot && a.end - a.start <= 4 && RELATIONS.has(a.lower) && /^\.[ \t]{0,2}$/.test(gap);
}

function endsWithPhrase(all: Token[], i: number, text: string, phrases: string[][]): boolean {
  return phrases.some((phrase) => {
    const first = i - phrase.length;
    if (first < 0) return false;
    for (let k = 0; k < phrase.length; k++) {
      if (all[first + k]!.lower !== phrase[k]) return false;
      if (k > 0 && !joined(text, all[first + k - 1]!, all[first + k]!)) return false;
    }
    return introduces(text, all[i - 1]!, all[i]!);
  });
}

type Context = 'relation' | 'naming' | 'greeting' | 'none';

function contextOf(all: Token[], i: number, text: string): Context {
  const previous = all[i - 1];
  if (previous && RELATIONS.has(previous.lower) && introduces(text, previous, all[i]!)) return 'relation';
  if (endsWithPhrase(all, i, text, NAMING)) return 'naming';
  if (previous?.lower === 'naam' && /^[ \t]*:[ \t]*$/.test(text.slice(previous.end, all[i]!.start)))
    return 'naming';
  if (endsWithPhrase(all, i, text, GREETINGS)) return 'greeting';
  // "Floor en ik …", "… en Roos"
  const next = all[i + 1];
  const after = all[i + 2];
  if (next?.lower === 'en' && after?.lower === 'ik') return 'greeting';
  return 'none';
}

const isParticle = (t: Token | undefined) => t !== undefined && PARTICLES.has(t.lower);
/** A capitalised word that can be part of a name. */
const nameWord = (t: Token | undefined) => t?.capital === true && !NEVER.has(t.lower);
const knownName = (t: Token) => FIRST_NAMES.has(t.lower) || LAST_NAME_CORES.has(t.lower);

/** Index of the last word of particles + a capitalised word starting at i ("van der Berg"), or -1. */
function surnameAt(all: Token[], i: number, text: string): number {
  let k = i;
  while (isParticle(all[k]) && k - i < 3 && all[k + 1] && joined(text, all[k]!, all[k + 1]!)) k++;
  return nameWord(all[k]) && !all[k]!.opening ? k : -1;
}

/** Extends a name from its last word over following surname words: "Piet" → "Piet de Vries". */
function extend(all: Token[], last: number, text: string): number {
  let end = last;
  for (let words = 0; words < 3; words++) {
    const next = all[end + 1];
    if (!next || !joined(text, all[end]!, next) || all[end]!.dot) break;
    const k = surnameAt(all, end + 1, text);
    if (k < 0) break;
    end = k;
  }
  return end;
}

/** "Rachida (06-…)", "Truus, 06-…": a word right before contact details already found (masked). */
function beforeContact(text: string, t: Token): boolean {
  return /^[ \t]{0,2}[(,][ \t]{0,2}\uE000/.test(text.slice(t.end, t.end + 8));
}

const AFTER_PREPOSITION = new Set('bij aan naar met voor door en of dat tegen zoals via'.split(' '));

/** "bij Jeanine van het wijkteam": a capitalised word after a preposition, then what the person is. */
function roleAfter(all: Token[], i: number, text: string): boolean {
  const [before, van, article, role] = [all[i - 1], all[i + 1], all[i + 2], all[i + 3]];
  return (
    before !== undefined &&
    AFTER_PREPOSITION.has(before.lower) &&
    van?.lower === 'van' &&
    joined(text, all[i]!, van) &&
    (article?.lower === 'de' || article?.lower === 'het') &&
    role !== undefined &&
    !role.capital
  );
}

/** Spans [start, end) of names of people in `text`. */
export function nameSpans(text: string): [number, number][] {
  const all = tokens(text);
  const spans: [number, number][] = [];
  let i = 0;
  while (i < all.length) {
    const t = all[i]!;
    const context = contextOf(all, i, text);
    let last = -1;
    if (context === 'relation' || context === 'naming') {
      // Initials and particles may come first: "dhr. J. Smeets", "mevrouw De Vries", "mw. van der Berg".
      let k = i;
      while (
        all[k] &&
        all[k]!.dot &&
        all[k]!.end - all[k]!.start === 1 &&
        /\p{Lu}/u.test(text[all[k]!.start]!)
      )
        k++;
      const head = all[k];
      // After a relation word a new sentence is no name: "mijn buurman. Gisteren …".
      const free = context === 'naming' || k > i || !head?.opening;
      if (!head || !free || RELATIONS.has(head.lower)) last = -1;
      else if (isParticle(head)) {
        const s = surnameAt(all, k, text);
        if (s > k) last = s;
      } else if (nameWord(head)) last = k;
      else if (!head.capital && knownName(head) && !NAMES_THAT_ARE_WORDS.has(head.lower)) last = k;
    } else if (context === 'greeting') {
      if (
        (t.capital && knownName(t) && !NEVER.has(t.lower)) ||
        (!t.capital && FIRST_NAMES.has(t.lower) && !NAMES_THAT_ARE_WORDS.has(t.lower))
      )
        last = i;
    } else if (t.capital && !NEVER.has(t.lower)) {
      const next = all[i + 1];
      const surname = next && joined(text, t, next) && !t.dot ? surnameAt(all, i + 1, text) : -1;
      const word = NAMES_THAT_ARE_WORDS.has(t.lower);
      // "de Maas", "Sint Pieter" are no one; "vraag het Lotte van Dijk" is.
      const before = all[i - 1]?.lower ?? '';
      if (TITLES.has(before) || (ARTICLES.has(before) && surname < 0)) last = -1;
      else if (FIRST_NAMES.has(t.lower) && (!word || surname >= 0) && next?.lower !== 'heijn') last = i;
      else if (LAST_NAME_CORES.has(t.lower) && !word && !SURNAMES_THAT_ARE_WORDS.has(t.lower)) last = i;
      else if (!word && (beforeContact(text, t) || roleAfter(all, i, text))) last = i;
    } else if (isParticle(t) && !t.capital) {
      // "van Dijk", "de Vries" on their own: a known surname with its particles.
      const k = surnameAt(all, i, text);
      if (k > i) {
        const written = all
          .slice(i, k + 1)
          .map((w) => w.lower)
          .join(' ');
        if (LAST_NAMES.has(written) && !SURNAMES_THAT_ARE_WORDS.has(all[k]!.lower)) last = k;
      }
    }
    if (last < 0) {
      i++;
      continue;
    }
    const end = extend(all, last, text);
    spans.push([t.start, all[end]!.end]);
    i = end + 1;
  }
  return spans;
}
