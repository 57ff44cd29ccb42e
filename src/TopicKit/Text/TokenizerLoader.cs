namespace TopicKit.Text;

/// <summary>Picks and loads the tokenizer of a model folder from the files it contains.</summary>
public static class TokenizerLoader
{
    /// <summary>File name of a SentencePiece vocabulary (array of [piece, score]).</summary>
    public const string SentencePieceVocabJson = "vocab.json";

    /// <summary>
    /// Loads the folder's tokenizer: <c>tokenizer.json</c> or <c>vocab.txt</c> gives a <see cref="WordPieceTokenizer"/>;
    /// otherwise <c>vocab.json</c> gives a <see cref="SentencePieceTokenizer"/>.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder holds none of the tokenizer files; the message names the folder and the files looked for.</exception>
    /// <exception cref="InvalidDataException">A tokenizer file is malformed or of an unsupported kind.</exception>
    public static ITokenizer FromModelFolder(string directory)
    {
        ModelFolderFiles.RequireDirectory(directory);
        if (File.Exists(Path.Combine(directory, BertModelFolder.TokenizerJson)) || File.Exists(Path.Combine(directory, BertModelFolder.VocabTxt)))
        {
            return WordPieceTokenizer.FromModelFolder(directory);
        }

        if (File.Exists(Path.Combine(directory, SentencePieceVocabJson)))
        {
            return SentencePieceTokenizer.FromModelFolder(directory);
        }

        throw new FileNotFoundException(
            $"Model folder '{directory}' has no tokenizer: expected {BertModelFolder.TokenizerJson} or {BertModelFolder.VocabTxt} (WordPiece) or {SentencePieceVocabJson} (SentencePiece).",
            Path.Combine(directory, BertModelFolder.TokenizerJson));
    }
}
