using Microsoft.Extensions.Options;
using BCryptNet = BCrypt.Net.BCrypt;

namespace AttendanceSystem.Data.Credentials;

/// <summary>
/// BCrypt with the configured work factor, for passwords and kiosk PINs. Secrets are SHA-384
/// pre-hashed ("enhanced" mode) so that every one of up to 128 characters counts, not only the first 72 bytes.
/// </summary>
public sealed class PasswordHasher
{
    private const BCrypt.Net.HashType PreHash = BCrypt.Net.HashType.SHA384;
    private readonly int _workFactor;
    private readonly Lazy<string> _dummyHash;

    public PasswordHasher(IOptions<CredentialOptions> options)
    {
        _workFactor = options.Value.BcryptWorkFactor;
        // Verified against when the username is unknown, so that answer takes as long as a wrong password.
        // Made on first use: a hash costs a quarter of a second, which start-up need not wait for.
        _dummyHash = new Lazy<string>(() => BCryptNet.EnhancedHashPassword(Guid.NewGuid().ToString(), _workFactor, PreHash));
    }

    public string Hash(string password) => BCryptNet.EnhancedHashPassword(password, _workFactor, PreHash);

    /// <summary>Checks a password; with no hash (unknown user) it does the same work and says no.</summary>
    public bool Verify(string password, string? hash)
    {
        if (hash is null)
        {
            _ = BCryptNet.EnhancedVerify(password, _dummyHash.Value, PreHash);
            return false;
        }

        try
        {
            return BCryptNet.EnhancedVerify(password, hash, PreHash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            // A stored value that is no BCrypt hash (an account without a password) matches nothing.
            return false;
        }
    }

    /// <summary>True when the hash was made with another work factor and should be replaced on the next successful login.</summary>
    public bool NeedsRehash(string hash) => BCryptNet.PasswordNeedsRehash(hash, _workFactor);
}
