/**
 * Built-in stop-word lists. English is a full list (function words, pronouns, auxiliaries,
 * common contractions split at the apostrophe); German, French and Spanish are short lists of
 * the most frequent function words. Only words of 3+ letters matter, since shorter tokens
 * are dropped anyway by the default minimum word length.
 */
import { OptionError } from '../errors';

const EN = `
about above across after afterwards again against all almost alone along already also although always among amongst
and another any anyhow anyone anything anyway anywhere are aren around because been before beforehand behind being
below beside besides between beyond both but can cannot could couldn did didn does doesn doing don done down during
each either else elsewhere enough etc even ever every everyone everything everywhere except few for former formerly
from further had hadn has hasn have haven having hence her here hereafter hereby herein hers herself him himself his
how however into isn its itself just last latter least less let like ltd made many may meanwhile might mine more
moreover most mostly much must mustn myself namely neither never nevertheless next nobody none noone nor not nothing
now nowhere off often once one only onto other others otherwise our ours ourselves out over own per perhaps please
quite rather really same say says said shall shan she should shouldn since some somehow someone something sometime
sometimes somewhere still such than that the their theirs them themselves then thence there thereafter thereby
therefore therein thereupon these they this those though through throughout thru thus together too toward towards
under until upon very via was wasn way well were weren what whatever when whence whenever where whereafter whereas
whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will with within
without won would wouldn yet you your yours yourself yourselves also get got gets getting go goes going gone
ll ve re isn aren ain yes
`;

const DE = `
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes auch auf aus bei bin
bis bist da damit dann das dass dein deine dem den denn der des dich die dies diese diesem diesen dieser dieses dir
doch dort durch ein eine einem einen einer eines er es etwas euch euer eure für gegen gewesen hab habe haben hat hatte
hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem jeden jeder
jedes jene jetzt kann kein keine keinem keinen keiner man manche mein meine mich mir mit muss nach nicht nichts noch nun
nur ob oder ohne sehr sein seine seinem seinen seiner sich sie sind so solche soll sollte sondern sonst über um und uns
unser unter viel vom von vor war waren warst was weil welche wenn wer werde werden wie wieder will wir wird wirst wo
wollen wollte würde würden zu zum zur zwar zwischen
`;

const FR = `
alors au aucun aussi autre aux avec avoir bon car ce cela ces cet cette ceux chaque ci comme comment dans des donc dont
du elle elles en encore est et étaient était être eux fait faire fois font hors ici il ils je juste la le les leur
leurs lui mais mes moi moins mon même ne ni nos notre nous on ont ou où par parce pas peu peut plupart pour pourquoi
quand que quel quelle quelles quels qui sa sans ses seulement si sien son sont sous soyez sur ta tandis tellement tels
tes ton tous tout toute toutes très trop une vos votre vous sur été avait avons êtes
`;

const ES = `
algo algunas algunos ante antes como con contra cual cuando del desde donde durante ella ellas ellos entre era erais
eran eras eres esa esas ese eso esos esta estaba estado estamos estar estas este esto estos estoy fue fueron fui
había han has hasta hay las les los más mucho muchos muy nada nos nosotros otra otras otro otros para pero poco por
porque que quien quienes sea ser será sido sin sobre son también tanto tengo tiene tienen todo todos tus una uno unos
usted vosotros yo
`;

/**
 * Function words of the scripts segmented by Intl.Segmenter (tokenize.ts): Chinese particles
 * and pronouns, Japanese particles and auxiliaries, Thai conjunctions and classifiers. They
 * cannot collide with words of the Latin lists, so every list (all but 'none') includes them:
 * a Chinese corpus is clustered by its content words with the default setting.
 */
const UNSPACED = `
的 了 是 在 和 有 我 你 他 她 它 们 我们 你们 他们 这 那 这个 那个 也 就 而 及 与 或 一个 不 没有 吗 呢 吧 啊 之 其 于 为 被 把 从 对 但 但是 因为 所以 如果 已经 还 又 很 会 能 要 可以 这些 那些 什么 自己
これ それ あれ この その あの ます です でした ました する した して ない なる いる ある れる られる こと もの ため よう から まで など より ので けど だけ また および んで って
และ ที่ ของ ใน เป็น มี การ ได้ ให้ ว่า จะ ไม่ กับ แต่ หรือ ก็ นี้ นั้น ซึ่ง โดย จาก อยู่ ความ ไป มา แล้ว คือ เมื่อ
`;

const LISTS: Readonly<Record<string, string>> = { en: EN, de: DE, fr: FR, es: ES };

const cache = new Map<string, ReadonlySet<string>>();

/** The stop-word set for a language code ('en', 'de', 'fr', 'es', 'none'). */
export function stopWordSet(language: string): ReadonlySet<string> {
  const code = language.trim().toLowerCase();
  const hit = cache.get(code);
  if (hit) return hit;
  let set: ReadonlySet<string>;
  if (code === 'none' || code === '') set = new Set();
  else {
    const list = LISTS[code];
    if (list === undefined) throw new OptionError(`unknown stop-word language "${language}" (use one of en, de, fr, es, none)`);
    set = new Set(`${list} ${UNSPACED}`.split(/\s+/).filter((w) => w.length > 0));
  }
  cache.set(code, set);
  return set;
}
