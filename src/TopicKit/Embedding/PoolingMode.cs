namespace TopicKit.Embedding;

/// <summary>How token vectors become one sentence vector.</summary>
public enum PoolingMode
{
    /// <summary>Mean over the tokens the attention mask marks as real (sentence-transformers' default).</summary>
    Mean = 0,

    /// <summary>The first token's vector (<c>[CLS]</c>), as BGE models use.</summary>
    Cls = 1,

    /// <summary>Element-wise maximum over real tokens.</summary>
    Max = 2,

    /// <summary>The model pools itself and outputs a <c>sentence_embedding</c> tensor.</summary>
    ModelOutput = 3,
}
