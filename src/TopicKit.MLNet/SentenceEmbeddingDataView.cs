using Microsoft.ML;
using Microsoft.ML.Data;
using TopicKit.Embedding;
using TopicKit.Numerics;

namespace TopicKit.MLNet;

/// <summary>The lazy output of <see cref="SentenceEmbeddingTransformer.Transform"/>.</summary>
internal sealed class SentenceEmbeddingDataView : IDataView
{
    private readonly SentenceEmbeddingTransformer _owner;
    private readonly IDataView _input;
    private readonly DataViewSchema.Column _text;

    public SentenceEmbeddingDataView(SentenceEmbeddingTransformer owner, IDataView input)
    {
        _owner = owner;
        _input = input;
        Schema = owner.GetOutputSchema(input.Schema);
        _text = input.Schema[SentenceEmbeddingSchema.TextColumn(input.Schema, owner.InputColumnName)];
    }

    // Batches are read ahead through a second cursor in the same order, which a shuffled cursor would break.
    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = columnsNeeded.ToList();
        var inputCount = _input.Schema.Count;
        var inner = _input.GetRowCursor(active.Where(c => c.Index < inputCount).Select(c => _input.Schema[c.Index]));
        var source = active.Any(c => c.Index == inputCount)
            ? new BatchedEmbeddings(_owner.Encoder, _input.GetRowCursor([_text]), _text)
            : null;
        return new SentenceEmbeddingCursor(inner, Schema, source);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}

/// <summary>Embeddings of the rows of a cursor, by row position.</summary>
internal abstract class EmbeddingSource : IDisposable
{
    public abstract ReadOnlySpan<float> At(long position);

    public virtual void Dispose()
    {
    }

    protected static ValueGetter<ReadOnlyMemory<char>> TextGetter(DataViewRow row, DataViewSchema.Column text) =>
        row.GetGetter<ReadOnlyMemory<char>>(text);
}

/// <summary>Reads the text column ahead, <see cref="SentenceEmbeddingTransformer.BatchSize"/> rows at a time, and encodes each batch in one call.</summary>
internal sealed class BatchedEmbeddings(ISentenceEncoder encoder, DataViewRowCursor lookahead, DataViewSchema.Column text) : EmbeddingSource
{
    private readonly ValueGetter<ReadOnlyMemory<char>> _getter = TextGetter(lookahead, text);
    private readonly List<string> _texts = new(SentenceEmbeddingTransformer.BatchSize);
    private Matrix? _batch;
    private long _start;

    public override ReadOnlySpan<float> At(long position)
    {
        while (_batch is null || position >= _start + _batch.Rows)
        {
            if (_batch is not null)
            {
                _start += _batch.Rows;
            }

            _texts.Clear();
            var value = default(ReadOnlyMemory<char>);
            while (_texts.Count < SentenceEmbeddingTransformer.BatchSize && lookahead.MoveNext())
            {
                _getter(ref value);
                _texts.Add(value.ToString());
            }

            if (_texts.Count == 0)
            {
                throw new InvalidOperationException($"The text cursor ended before row {position}; the input data view changed while it was read.");
            }

            _batch = encoder.Encode(_texts);
        }

        return _batch.RowReadOnly((int)(position - _start));
    }

    public override void Dispose() => lookahead.Dispose();
}

/// <summary>Encodes the current row alone (prediction engines feed one row at a time).</summary>
internal sealed class RowEmbeddings(ISentenceEncoder encoder, DataViewRow row, DataViewSchema.Column text) : EmbeddingSource
{
    private readonly ValueGetter<ReadOnlyMemory<char>> _getter = TextGetter(row, text);
    private float[] _vector = [];
    private long _position = -1;

    public override ReadOnlySpan<float> At(long position)
    {
        if (position != _position || _vector.Length == 0)
        {
            var value = default(ReadOnlyMemory<char>);
            _getter(ref value);
            _vector = encoder.Encode([value.ToString()]).Data;
            _position = position;
        }

        return _vector;
    }
}

/// <summary>An input row or cursor with the embedding column appended (the last column of <see cref="Schema"/>).</summary>
internal sealed class SentenceEmbeddingCursor(DataViewRow inner, DataViewSchema schema, EmbeddingSource? source) : DataViewRowCursor
{
    private readonly int _embeddingIndex = schema.Count - 1;

    public override DataViewSchema Schema => schema;

    public override long Position => inner.Position;

    public override long Batch => inner.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index == _embeddingIndex ? source is not null : inner.IsColumnActive(inner.Schema[column.Index]);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index != _embeddingIndex)
        {
            return inner.GetGetter<TValue>(inner.Schema[column.Index]);
        }

        if (source is null)
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        }

        if (typeof(TValue) != typeof(VBuffer<float>))
        {
            throw new InvalidOperationException($"Column '{column.Name}' holds VBuffer<float>, not {typeof(TValue).Name}.");
        }

        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
        {
            var vector = source.At(Position);
            var editor = VBufferEditor.Create(ref value, vector.Length);
            vector.CopyTo(editor.Values);
            value = editor.Commit();
        };
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    public override bool MoveNext() =>
        inner is DataViewRowCursor cursor
            ? cursor.MoveNext()
            : throw new InvalidOperationException("A mapped row cannot move; move its input row instead.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            source?.Dispose();
            if (inner is DataViewRowCursor)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
