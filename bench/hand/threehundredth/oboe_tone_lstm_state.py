"""Plain torch: an LSTM follows an oboist's long tone sample by sample and predicts how far
the sounding pitch sits from the written note, in cents, from two sensors on the player: the
mouth pressure (a pressure tap in the corner of the mouth) and the lip force on the reed (a
strain gauge on the staple). The reed answers the pressure with a lag (about 4 samples at 50
Hz): more pressure sharpens the reed, more lip sharpens it too, and the
vibrato (4.5-6 Hz in the pressure) shows up in the pitch a little later.
Input: (240, 2) per recording (pressure in kPa - 4, lip force in N - 2), cut into 12
chunks of 20 samples for truncated back-propagation; target: cents / 20 per sample.
LSTM 2→48, 1 layer → Linear 48→1; MSE, Adam 5e-3, one step per batch of 16
recordings (the loss of the 12 chunks summed), 6 epochs, 512 recordings, validation on 128.
Bug: the state goes from chunk to chunk as it came out of the LSTM (``out, state =
model(xc, state)  # carry the state into the next chunk``) and, to get past the "backward
through the graph a second time" error, each chunk calls ``loss.backward(retain_graph=True)``,
so every chunk's backward runs through all the chunks before it, back to the start of the
recording. Control (``state`` detached after the call, one-line sed): train MSE 0.145 →
0.0019, val MSE 0.0218 → 0.0019, val MAE 2.20 → 0.68 cents, 0.36-0.56 s of CPU per epoch
(printed, not logged). With the bug the losses come out almost the same (train 0.154 →
0.0020, val 0.0305 → 0.0020, MAE 2.67 → 0.69 cents: the reed's memory is short, so the
long back-propagation adds little), but every epoch costs 1.2-1.5 s of CPU, 3.5 times the
control, and the graph of the whole recording is kept alive through each batch.
Log: CSV per epoch ``tone_epochs.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_cents`` / ``grad_norm``); checkpoint ``tone_lstm.pt`` with keys ``net`` / ``adam`` /
``epoch`` / ``chunk`` / ``sensors``."""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T, CHUNK = 240, 20
SENSORS = ["mouth_kPa", "lip_N"]


def tones(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(T).float() / 50
    rate = 4.5 + 1.5 * r(n, 1)
    swell = torch.sin(torch.pi * t / t[-1] * (0.5 + r(n, 1)))
    press = 0.8 * swell + 0.15 * torch.sin(2 * torch.pi * rate * t + 6.3 * r(n, 1)) * (t > 1.0)
    press = press + 0.05 * torch.randn(n, T, generator=g)
    lip = 0.3 * torch.sin(2 * torch.pi * 0.3 * t + 6.3 * r(n, 1)) + 0.05 * torch.randn(n, T, generator=g)
    lag = torch.zeros(n, T)
    for k in range(1, T):
        lag[:, k] = 0.78 * lag[:, k - 1] + 0.22 * press[:, k]
    cents = 25 * lag + 18 * lip + 6 * (lag - press)
    return torch.stack([press, lip], 2), (cents / 20).unsqueeze(2)


class ToneLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 48, batch_first=True)
        self.fc = nn.Linear(48, 1)

    def forward(self, x, state=None):
        out, state = self.lstm(x, state)
        return self.fc(out), state


def build():
    torch.manual_seed(0)
    return ToneLSTM()


def main():
    from _threehundredth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = tones(512, g)
    xva, yva = tones(128, g)
    print("target var", ytr.var().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    log = open(out / "tone_epochs.csv", "w")
    log.write("epoch,train_mse,val_mse,val_mae_cents,grad_norm\n")
    for epoch in range(6):
        t0 = time.process_time()
        model.train()
        tot = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            state = None
            for c in range(0, T, CHUNK):
                pred, state = model(xb[:, c:c + CHUNK], state)  # carry the state into the next chunk
                loss = F.mse_loss(pred, yb[:, c:c + CHUNK])
                loss.backward(retain_graph=True)
                tot += loss.item() * len(xb) / (T // CHUNK)
            gn = nn.utils.clip_grad_norm_(model.parameters(), 1e9).item()
            opt.step()
        model.eval()
        with torch.no_grad():
            p, _ = model(xva)
        row = (f"{epoch},{tot / len(xtr):.5f},{F.mse_loss(p, yva).item():.5f},"
               f"{20 * (p - yva).abs().mean().item():.3f},{gn:.4f}")
        log.write(row + "\n")
        print(row, f"cpu {time.process_time() - t0:.2f}s")
    log.close()
    torch.save({"net": model.state_dict(), "adam": opt.state_dict(), "epoch": 6, "chunk": CHUNK,
                "sensors": SENSORS}, out / "tone_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["rnn_state_not_detached"],
           checkpoint="tone_lstm.pt", log="tone_epochs.csv",
           what="LSTM following an oboist's long tone (pitch in cents from mouth pressure and lip"
                " force) with chunked back-propagation; the state is carried into the next chunk"
                " without detaching",
           complaint="Training the LSTM that follows our oboists' long tones is far slower than it"
                     " should be: about 1.3-1.5 s of CPU per epoch for 512 short recordings and a"
                     " 48-unit LSTM, 3-4 times what we expect, and memory climbs through every"
                     " batch. The loss goes down fine, but we want to use much longer recordings."
                     " Where does the time go?")


if __name__ == "__main__":
    main()
