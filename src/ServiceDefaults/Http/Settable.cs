using System.Text.Json;
using System.Text.Json.Serialization;

namespace AttendanceSystem.ServiceDefaults.Http;

/// <summary>
/// A PATCH field that tells "left out" (<see cref="IsSet"/> false: keep) from "given as null"
/// (clear), which a plain nullable cannot: <c>{"team_id": null}</c> takes someone out of their team.
/// </summary>
[JsonConverter(typeof(SettableConverterFactory))]
public readonly record struct Settable<T>(bool IsSet, T? Value);

internal sealed class SettableConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Settable<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(SettableConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class SettableConverter<T> : JsonConverter<Settable<T>>
    {
        // Called for a JSON null too, so that null reads as "set to nothing".
        public override bool HandleNull => true;

        public override Settable<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(true, reader.TokenType == JsonTokenType.Null ? default : JsonSerializer.Deserialize<T>(ref reader, options));

        public override void Write(Utf8JsonWriter writer, Settable<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
