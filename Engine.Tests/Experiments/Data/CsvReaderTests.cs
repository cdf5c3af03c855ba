using Engine.Experiments.Data.Formats;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class CsvReaderTests
{
    [Test]
    public void Parse_QuotedFieldsAndCrlf_AreRead()
    {
        var t = CsvReader.Parse("set,npz_row,alphabet\r\nbackground,0,\"Tifinagh, \"\"Berber\"\"\"\r\nevaluation,1,\"two\nlines\"\n", "x.csv");

        Assert.That(t.Header, Is.EqualTo(new[] { "set", "npz_row", "alphabet" }));
        Assert.That(t.Rows[0], Is.EqualTo(new[] { "background", "0", "Tifinagh, \"Berber\"" }));
        Assert.That(t.Rows[1][2], Is.EqualTo("two\nlines"));
        Assert.That(t.Int(1, t.Column("npz_row")), Is.EqualTo(1));
    }

    [TestCase("a,b\n1,2,3\n", "line 2 has 3 fields; the header has 2")]
    [TestCase("a,b\n1,\"2\n", "quoted field opened on line 2 is never closed")]
    [TestCase("a,b\n1,x\"y\n", "a quote inside an unquoted field")]
    [TestCase("", "empty CSV")]
    public void Parse_Malformed_NamesFileAndLine(string text, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvReader.Parse(text, "x.csv"));

        Assert.That(e!.Message, Does.StartWith("x.csv").And.Contain(expected));
    }

    [Test]
    public void Column_Missing_ListsColumns()
    {
        var t = CsvReader.Parse("a,b\n1,2\n", "x.csv");

        Assert.That(Assert.Throws<InvalidDataException>(() => t.Column("c"))!.Message, Does.Contain("no column 'c' (columns: a, b)"));
        Assert.That(Assert.Throws<InvalidDataException>(() => CsvReader.Parse("a\nx\n", "y.csv").Int(0, 0))!.Message, Does.Contain("line 2, column 'a': 'x' is not an integer"));
    }

    [Test]
    public void Fuzz_OnlyInvalidDataException()
    {
        var text = "set,npz_row,char_id,alphabet,character\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"background,{i},{i + 1},\"Alpha, {i / 10}\",character{i % 10 + 1:00}\n"));

        ParserFuzz.Run(System.Text.Encoding.UTF8.GetBytes(text), "fuzz.csv", path =>
        {
            var t = CsvReader.Read(path);
            for (var r = 0; r < t.Rows.Count; r++)
            {
                t.Int(r, t.Column("npz_row"));
            }
        }, seed: 801);
    }
}
