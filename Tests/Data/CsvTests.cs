using System.Text;
using GraphDL.Data;
using NUnit.Framework;

namespace GraphDL.Tests.Data;

public class CsvTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(TestContext.CurrentContext.WorkDirectory, "out", "csv", TestContext.CurrentContext.Test.Name);
        Directory.CreateDirectory(_dir);
    }

    private string WriteFile(string text, string name = "data.csv", Encoding? encoding = null)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text, encoding ?? new UTF8Encoding(false));
        return path;
    }

    [Test]
    public void ReadsHeaderRowsAndColumns()
    {
        var table = Csv.Read(WriteFile("name,x,y\na,1,2.5\nb,-3,4e2\n"));
        Assert.That(table.HasHeader, Is.True);
        Assert.That(table.Header, Is.EqualTo(new[] { "name", "x", "y" }));
        Assert.That(table.RowCount, Is.EqualTo(2));
        Assert.That(table.ColumnCount, Is.EqualTo(3));
        Assert.That(table.Rows[1], Is.EqualTo(new[] { "b", "-3", "4e2" }));
        Assert.That(table.Column("name"), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(table.Numbers("y"), Is.EqualTo(new[] { 2.5, 400.0 }));
        Assert.That(table.Numbers(1), Is.EqualTo(new[] { 1.0, -3.0 }));
        Assert.That(table.LineOf(0), Is.EqualTo(2));
    }

    [Test]
    public void ToTensorTakesTheColumnsInTheOrderAsked()
    {
        var table = Csv.Parse("a,b,c\n1,2,3\n4,5,6\n");
        var t = table.ToTensor("c", "a");
        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Shape, Is.EqualTo(new Shape(2, 2)));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new[] { 3f, 1f, 6f, 4f }));
        Assert.That(table.ToTensor().ToArray<float>(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f, 6f }));
        Assert.That(table.ToTensor(1).Shape, Is.EqualTo(new Shape(2, 1)));
    }

    [Test]
    public void ToTensorRoundsViaDoubleLikeAFloat64ArrayFedToAFloat32Placeholder()
    {
        // Just above the midpoint between float32's 1 and its next value 1 + 2^-23: read straight into a
        // float it rounds up, but as a double it is the midpoint itself, which then rounds to even, to 1.
        const string text = "1.00000005960464477539062500001";
        Assert.That(float.Parse(text, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(1f + MathF.Pow(2, -23)));
        var t = Csv.Parse($"v\n{text}\n").ToTensor("v");
        Assert.That(t.ToArray<float>()[0], Is.EqualTo(1f));
    }

    [Test]
    public void QuotedFieldsHoldSeparatorsQuotesAndLineBreaks()
    {
        string path = WriteFile("id,text,n\n1,\"a, b\",2\n2,\"she said \"\"hi\"\"\",3\n3,\"two\nlines\",4\n4,\"\",5\n");
        var table = Csv.Read(path);
        Assert.That(table.Column("text"), Is.EqualTo(new[] { "a, b", "she said \"hi\"", "two\nlines", "" }));
        Assert.That(table.Numbers("n"), Is.EqualTo(new[] { 2.0, 3.0, 4.0, 5.0 }));
        // The record after a quoted line break starts one line further down.
        Assert.That(table.LineOf(3), Is.EqualTo(6));
    }

    [Test]
    public void AcceptsCrLfAByteOrderMarkNoFinalNewlineAndEmptyLines()
    {
        string path = WriteFile("a,b\r\n1,2\r\n\r\n3,\"x\r\ny\"", encoding: new UTF8Encoding(true));
        var table = Csv.Read(path);
        Assert.That(table.Header, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(table.Numbers("a"), Is.EqualTo(new[] { 1.0, 3.0 }));
        Assert.That(table.Column("b"), Is.EqualTo(new[] { "2", "x\r\ny" }));
        Assert.That(table.LineOf(1), Is.EqualTo(4));
    }

    [Test]
    public void KeepsSpacesAndEmptyFields()
    {
        var table = Csv.Parse("a,b,c\n x ,,\n");
        Assert.That(table.Rows[0], Is.EqualTo(new[] { " x ", "", "" }));
    }

    [Test]
    public void OtherSeparators()
    {
        var semicolons = Csv.Parse("a;b\n1,5;\"x;y\"\n", separator: ';');
        Assert.That(semicolons.Rows[0], Is.EqualTo(new[] { "1,5", "x;y" }));
        var tabs = Csv.Parse("a\tb\n1\t2\n", separator: '\t');
        Assert.That(tabs.Numbers("b"), Is.EqualTo(new[] { 2.0 }));
        Assert.Throws<ArgumentException>(() => Csv.Parse("a", separator: '"'));
    }

    [Test]
    public void WithoutAHeaderColumnsGoByPosition()
    {
        var table = Csv.Parse("1,2\n3,4\n", "pairs.csv", hasHeader: false);
        Assert.That(table.HasHeader, Is.False);
        Assert.That(table.Header, Is.Empty);
        Assert.That(table.RowCount, Is.EqualTo(2));
        Assert.That(table.Numbers(1), Is.EqualTo(new[] { 2.0, 4.0 }));
        var e = Assert.Throws<CsvException>(() => table.Column("x"))!;
        Assert.That(e.Message, Does.StartWith("pairs.csv"));
        Assert.That(e.Message, Does.Contain("without a header row"));
    }

    [Test]
    public void ARaggedRowNamesTheFileLineAndColumn()
    {
        string path = WriteFile("a,b,c\n1,2,3\n4,5\n");
        var e = Assert.Throws<CsvException>(() => Csv.Read(path))!;
        Assert.That(e.File, Is.EqualTo(path));
        Assert.That(e.Line, Is.EqualTo(3));
        Assert.That(e.Column, Is.EqualTo(3));
        Assert.That(e.Message, Is.EqualTo($"{path}, line 3, column 3 ('c'): this row has 2 fields, but the header has 3."));
    }

    [Test]
    public void ARowTooLongIsRaggedToo()
    {
        var e = Assert.Throws<CsvException>(() => Csv.Parse("1,2\n3,4,5\n", "t.csv", hasHeader: false))!;
        Assert.That(e.Message, Is.EqualTo("t.csv, line 2, column 3: this row has 3 fields, but the first row has 2."));
    }

    [Test]
    public void ANonNumericCellNamesItsLineAndColumn()
    {
        // The quoted line break puts the bad cell's record on line 4, not on the 3rd line of records.
        string path = WriteFile("label,value\n\"multi\nline\",1.5\nx,abc\n");
        var table = Csv.Read(path);
        var e = Assert.Throws<CsvException>(() => table.Numbers("value"))!;
        Assert.That(e.Message, Is.EqualTo($"{path}, line 4, column 2 ('value'): 'abc' is not a number."));
        Assert.That((e.Line, e.Column, e.ColumnName), Is.EqualTo((4, 2, "value")));
        Assert.Throws<CsvException>(() => table.ToTensor("value"));
    }

    [Test]
    public void AnEmptyCellIsNotANumber()
    {
        var e = Assert.Throws<CsvException>(() => Csv.Parse("a,b\n1,\n", "e.csv").Numbers("b"))!;
        Assert.That(e.Message, Is.EqualTo("e.csv, line 2, column 2 ('b'): the cell is empty, but a number was asked for."));
    }

    [Test]
    public void NumbersAreReadTheSameInEveryCulture()
    {
        // A decimal comma is not a number here: with ',' separating fields it could never be one.
        var e = Assert.Throws<CsvException>(() => Csv.Parse("a;b\n1,5;2\n", "c.csv", separator: ';').Numbers("a"))!;
        Assert.That(e.Message, Does.Contain("'1,5' is not a number"));
    }

    [Test]
    public void AMissingColumnNameListsTheHeader()
    {
        var table = Csv.Parse("sepal_length,Species\n1,a\n", "iris.csv");
        var e = Assert.Throws<CsvException>(() => table.Column("species"))!;
        Assert.That(e.Message, Is.EqualTo("iris.csv, line 1: there is no column named 'species'; the header names 'sepal_length', 'Species'. Did you mean 'Species'?"));
        Assert.Throws<CsvException>(() => table.ToTensor("sepal_length", "petal_length"));
    }

    [Test]
    public void ADuplicatedColumnNameIsAmbiguous()
    {
        var table = Csv.Parse("a,b,a\n1,2,3\n", "d.csv");
        Assert.That(table.Numbers("b"), Is.EqualTo(new[] { 2.0 }));
        var e = Assert.Throws<CsvException>(() => table.Numbers("a"))!;
        Assert.That(e.Message, Is.EqualTo("d.csv, line 1, column 3 ('a'): two columns are named 'a' (columns 1 and 3); ask for one by its position instead."));
        Assert.That(table.Numbers(2), Is.EqualTo(new[] { 3.0 }));
    }

    [Test]
    public void AnUnclosedQuoteNamesTheLineItOpensOn()
    {
        var e = Assert.Throws<CsvException>(() => Csv.Parse("a,b\n1,\"open\n2,3\n", "q.csv"))!;
        Assert.That(e.Message, Is.EqualTo("q.csv, line 2, column 2: a quoted field is never closed (a \" is missing)."));
    }

    [Test]
    public void TextAfterAClosingQuoteIsAnError()
    {
        var e = Assert.Throws<CsvException>(() => Csv.Parse("a,b\n1,\"x\"y\n", "q.csv"))!;
        Assert.That(e.Message, Is.EqualTo("q.csv, line 2, column 2: 'y' follows the closing quote of a quoted field; a separator ',' or a line end was expected there."));
    }

    [Test]
    public void AQuoteInsideAnUnquotedFieldIsKept()
    {
        Assert.That(Csv.Parse("size\n5\" screen\n").Column("size"), Is.EqualTo(new[] { "5\" screen" }));
    }

    [Test]
    public void MissingAndEmptyFiles()
    {
        string missing = Path.Combine(_dir, "nowhere.csv");
        var notFound = Assert.Throws<FileNotFoundException>(() => Csv.Read(missing))!;
        Assert.That(notFound.Message, Does.Contain(missing));

        string empty = WriteFile("", "empty.csv");
        var e = Assert.Throws<CsvException>(() => Csv.Read(empty))!;
        Assert.That(e.Message, Is.EqualTo($"{empty}: the file is empty, but a header row was expected."));
        Assert.That(Csv.Read(empty, hasHeader: false).RowCount, Is.EqualTo(0));
        Assert.That(Csv.Parse("a,b\n").RowCount, Is.EqualTo(0));
    }

    [Test]
    public void ClassesNumberedInOrderOfFirstAppearance()
    {
        var table = Csv.Parse("species\nversicolor\nsetosa\nversicolor\nvirginica\n");
        var classes = table.Classes("species");
        Assert.That(classes.Names, Is.EqualTo(new[] { "versicolor", "setosa", "virginica" }));
        Assert.That(classes.Labels, Is.EqualTo(new[] { 0, 1, 0, 2 }));
        Assert.That(classes.Count, Is.EqualTo(3));
    }

    [Test]
    public void ClassesInAGivenOrderAndOneHot()
    {
        var table = Csv.Parse("species\nversicolor\nsetosa\n");
        var classes = table.Classes("species", "setosa", "versicolor", "virginica");
        Assert.That(classes.Labels, Is.EqualTo(new[] { 1, 0 }));
        Assert.That(classes.Count, Is.EqualTo(3));
        var oneHot = classes.OneHot();
        Assert.That(oneHot.Shape, Is.EqualTo(new Shape(2, 3)));
        Assert.That(oneHot.ToArray<float>(), Is.EqualTo(new[] { 0f, 1f, 0f, 1f, 0f, 0f }));
    }

    [Test]
    public void AClassOutsideTheGivenOrderNamesItsLine()
    {
        var table = Csv.Parse("n,species\n1,setosa\n2,Setosa\n", "iris.csv");
        var e = Assert.Throws<CsvException>(() => table.Classes("species", "setosa", "versicolor"))!;
        Assert.That(e.Message, Is.EqualTo("iris.csv, line 3, column 2 ('species'): 'Setosa' is not one of the classes given: 'setosa', 'versicolor'."));
        Assert.Throws<ArgumentException>(() => table.Classes("species", "setosa", "setosa"));
    }

    [Test]
    public void AColumnPositionOutOfRange()
    {
        var table = Csv.Parse("a,b\n1,2\n", "r.csv");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => table.Numbers(2))!;
        Assert.That(e.Message, Does.Contain("r.csv has 2 columns"));
    }
}
