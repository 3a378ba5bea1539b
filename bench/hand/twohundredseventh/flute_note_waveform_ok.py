"""Plain torch: a 1-D CNN (no batch norm) names the note (one of 10, D4 to F#5 on a concert
flute's first two octaves) from a 256-sample snippet of a recording at 8 kHz: a flute tone is
nearly a sine at the fundamental with weak 2nd and 3rd harmonics (their strength depends on the
player's embouchure), a slow vibrato (±0.4 %), random phase and loudness, breath noise on top;
the fundamentals are a semitone or more apart.
Conv(1→24, k9, stride 2)-ReLU, Conv(24→32, k7)-ReLU-pool, Conv(32→32, k5)-ReLU-pool, global
max + average pool, Linear(64→10); Adam 2e-3, batch 32, 10 epochs of 1280 snippets.
Checkpoint ``net`` / ``opt`` / ``step`` / ``epoch``, log ``flute_notes.tsv`` (a row per
epoch: epoch, loss, val_loss, val_acc).
Healthy: val accuracy 0.598 after epoch 1, 0.824, 0.867, 0.984, a dip to 0.906 at epoch 5 (val
loss 0.19), then 0.945, 0.980, 1.00, 0.996, 0.996; val loss 1.28 → 0.032; train loss 1.94 →
0.037."""
import math

import torch
import torch.nn as nn

N, SR = 256, 8000
MIDI = [62, 63, 64, 65, 67, 69, 71, 72, 74, 78]


def snippets(n, g):
    y = torch.randint(0, len(MIDI), (n,), generator=g)
    f0 = 440 * 2 ** ((torch.tensor(MIDI, dtype=torch.float)[y] - 69) / 12)
    t = torch.arange(N).float() / SR
    vib = 1 + 0.004 * torch.sin(2 * math.pi * 5 * t[None] + 6.28 * torch.rand(n, 1, generator=g))
    phase = 2 * math.pi * torch.cumsum(f0[:, None] * vib / SR, 1) \
        + 6.28 * torch.rand(n, 1, generator=g)
    h2, h3 = 0.3 * torch.rand(n, 1, generator=g), 0.15 * torch.rand(n, 1, generator=g)
    wave = torch.sin(phase) + h2 * torch.sin(2 * phase) + h3 * torch.sin(3 * phase)
    wave = wave * (0.4 + 0.8 * torch.rand(n, 1, generator=g))
    wave = wave + 0.25 * torch.randn(n, N, generator=g)
    return wave[:, None], y


def build():
    torch.manual_seed(0)
    return FluteNet()


class FluteNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 24, 9, stride=2, padding=4), nn.ReLU(),
                                  nn.Conv1d(24, 32, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                                  nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2))
        self.fc = nn.Linear(64, len(MIDI))

    def forward(self, x):
        f = self.conv(x)
        return self.fc(torch.cat([f.amax(2), f.mean(2)], 1))


def main():
    from _twohundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = snippets(1280, g)
    xva, yva = snippets(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    log = open(out / "flute_notes.tsv", "w")
    log.write("epoch\tloss\tval_loss\tval_acc\n")
    step = 0
    for epoch in range(10):
        net.train()
        tot = 0.0
        for xb, yb in train:
            loss = nn.functional.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
            step += 1
        net.eval()
        with torch.no_grad():
            lv = net(xva)
            vl = nn.functional.cross_entropy(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
        log.write(f"{epoch + 1}\t{tot / len(train):.4f}\t{vl:.4f}\t{va:.4f}\n")
        print(epoch + 1, round(tot / len(train), 4), round(vl, 4), round(va, 4))
    log.close()
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": 10},
               out / "flute_note_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="flute_note_cnn.pt", log="flute_notes.tsv",
           what="1-D CNN naming a flute note from a raw 256-sample waveform (healthy)")


if __name__ == "__main__":
    main()
