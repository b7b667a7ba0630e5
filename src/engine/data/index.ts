/** The dataset layer: tables and text corpora -> features with their preprocessing. */
export { loadCorpus, loadDataset, loadTextUnder, resolveSourceKind, type ConcreteSourceKind } from './loadDataset';
export { embedText, type EmbeddedText } from './embedText';
export { openTable, readTable, TABLE_FORMATS } from './tableFormats';
export { readAll, type ColumnarTable, type ReadTableOptions, type TableChunk, type TableReader, type TableSchema } from './tableReader';
export { applyTablePreprocessing, buildTableDataset, TablePreprocessor, type TableOptions } from './tableDataset';
export { tokenize, type TokenizeOptions } from './tokenize';
export { applyTextPreprocessing, buildTextDataset, meanRows, type TextFeatureOptions } from './textDataset';
export { documentVector, documentVectors, normalizationOf } from './documentVector';
export { loadTableTextCorpus, loadFolderCorpus, loadJsonlCorpus, loadParagraphCorpus, type Corpus, type CorpusDocument, type CorpusOptions } from './textSources';
export { readEmbeddings, type LoadedEmbeddings } from './embeddingsFile';
export { stopWordSet } from './stopWords';
