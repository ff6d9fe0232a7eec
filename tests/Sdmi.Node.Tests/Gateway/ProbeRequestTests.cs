using System.Text;
using System.Text.Json;
using Sdmi.Node.Gateway;

namespace Sdmi.Node.Tests.Gateway;

public sealed class ProbeRequestTests
{
    private const string Host = "local";

    [Fact]
    public void Parse_EmptyBody_ProbesHost()
    {
        var participants = ProbeRequest.Parse(ReadOnlyMemory<byte>.Empty, Host);

        Assert.Equal(["host:local"], participants);
    }

    [Fact]
    public void Parse_Participants_ReturnsDistinct()
    {
        var participants = Parse("""{"participants": ["host:local", "switch:sdmi0", "host:local"]}""");

        Assert.Equal(["host:local", "switch:sdmi0"], participants);
    }

    [Theory]
    [InlineData("null", "the body is null, not an object")]
    [InlineData("[\"host:local\"]", "the body is [\"host:local\"], not an object")]
    [InlineData("\"host:local\"", "the body is \"host:local\", not an object")]
    [InlineData("5", "the body is 5, not an object")]
    [InlineData("true", "the body is true, not an object")]
    public void Parse_NotObject_RejectedNamingValue(string body, string expected)
    {
        var error = Assert.Throws<JsonException>(() => Parse(body));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Parse_EmptyObject_RejectedAsMissing()
    {
        var error = Assert.Throws<JsonException>(() => Parse("{}"));

        Assert.Equal("the field \"participants\" is missing", error.Message);
    }

    [Fact]
    public void Parse_UnknownField_RejectedNamingIt()
    {
        var error = Assert.Throws<JsonException>(() => Parse("""{"participants": ["host:local"], "timeout": 5}"""));

        Assert.Contains("unknown field \"timeout\"", error.Message);
        Assert.Contains("(the only field is \"participants\")", error.Message);
    }

    [Fact]
    public void Parse_UnknownFields_RejectedNamingAll()
    {
        var error = Assert.Throws<JsonException>(() => Parse("""{"participants": ["host:local"], "a": 1, "b": 2}"""));

        Assert.Contains("unknown fields \"a\", \"b\"", error.Message);
    }

    [Fact]
    public void Parse_MisspelledField_RejectedNamingIt()
    {
        var error = Assert.Throws<JsonException>(() => Parse("""{"Participants": ["host:local"]}"""));

        Assert.Contains("unknown field \"Participants\"", error.Message);
    }

    [Fact]
    public void Parse_DuplicateField_Rejected()
    {
        var error = Assert.Throws<JsonException>(
            () => Parse("""{"participants": ["host:local"], "participants": ["switch:sdmi0"]}"""));

        Assert.Contains("participants", error.Message);
    }

    [Theory]
    [InlineData("""{"participants": 5}""", "\"participants\" is 5, but it must be a non-empty array")]
    [InlineData("""{"participants": null}""", "\"participants\" is null, but it must be a non-empty array")]
    [InlineData("""{"participants": []}""", "\"participants\" is [], but it must be a non-empty array")]
    [InlineData("""{"participants": ["host:local", 7]}""", "\"participants\"[1] is 7, but a participant id")]
    [InlineData("""{"participants": [" "]}""", "\"participants\"[0] is \" \", but a participant id")]
    public void Parse_InvalidParticipants_RejectedNamingValue(string body, string expected)
    {
        var error = Assert.Throws<JsonException>(() => Parse(body));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void Parse_LongValue_Shortened()
    {
        var body = $$"""{"participants": "{{new string('x', 500)}}"}""";

        var error = Assert.Throws<JsonException>(() => Parse(body));

        Assert.Contains("xxx...", error.Message);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Fact]
    public void Parse_InvalidJson_Rejected()
    {
        Assert.ThrowsAny<JsonException>(() => Parse("""{"participants": """));
    }

    private static IReadOnlyList<string> Parse(string body) => ProbeRequest.Parse(Encoding.UTF8.GetBytes(body), Host);
}
