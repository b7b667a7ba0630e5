/** The dataset layer: tables and text corpora -> features with their preprocessing. */
export { loadCorpus, loadDataset, loadTextUnder, resolveSourceKind, type ConcreteSourceKind } from './loadDataset';
export { embedText, type EmbeddedText } from './embedText';
export { readTable, type RawTable, type ReadTableOptions } from './csvReader';
export { applyTablePreprocessing, buildTableDataset, type TableOptions } from './tableDataset';
export { tokenize, type TokenizeOptions } from './tokenize';
export { applyTextPreprocessing, buildTextDataset, meanRows, type TextFeatureOptions } from './textDataset';
export { documentVector, documentVectors, normalizationOf } from './documentVector';
export { loadCsvTextCorpus, loadFolderCorpus, loadJsonlCorpus, loadParagraphCorpus, type Corpus, type CorpusDocument, type CorpusOptions } from './textSources';
export { readEmbeddings, type LoadedEmbeddings } from './embeddingsFile';
export { stopWordSet } from './stopWords';
