"""Plain torch: an LSTM undoes the lag of a hair hygrometer on a weather station, giving the
true relative humidity each minute from the hair element's reading and the air temperature.
Physics: the hair follows the air with a first-order lag, dr/dt = (RH - r) / tau, tau 3 min at
20 °C growing to about 10 min near 0 °C (the hair is slow in the cold); the air's RH follows a
slow daily swing with showers that push it to 95 % within minutes and dry spells after them;
the reading carries 0.6 %RH noise. Inputs per minute: (reading - 65) / 12,
(temperature - 16) / 5; target (RH - 65) / 12.
32 station streams of 600 minutes, cut into 20 chunks of 30 minutes for truncated BPTT, the
LSTM state carried from one chunk to the next through the epoch (reset at epoch start);
LSTM(2→24) → linear 24→1 per minute, MSE on standardised RH, hand-written SGD (lr 0.5, the
tutorial-style ``p.data.add_``), 40 epochs, validation on 8 other stations run end to end.
Bug: the carried state is never detached, and ``backward(retain_graph=True)`` was added when
PyTorch complained about a second backward; every chunk now backpropagates through all the
chunks before it in the epoch (through activations saved with older weights), so a chunk's step
gets slower the later it comes and the cost per epoch grows with the square of the chunks:
about 0.17 s vs 0.03 s per epoch for the control (``state = tuple(s.detach() for s in state)``
before the forward), stdout only, wall-clock; val MSE after 40 epochs 0.01910 vs 0.01860, and
the chunk losses late in training a little higher (0.0151 vs 0.0133 on the last chunk).
The hurt is mostly time and memory, the fit only slightly worse.
Log: CSV per chunk ``hair_chunks.csv`` (``epoch,chunk,loss,grad_norm``) and CSV per epoch
``hair_val.csv`` (``epoch,val_mse,val_rmse_pct``); checkpoint ``hair_lstm.pth`` with keys
``lstm_weights`` / ``epoch`` / ``lr`` / ``chunk_len``."""
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

T, CHUNK, EPOCHS = 600, 30, 40


def stations(n, g):
    t = torch.arange(T).float()
    temp = (12 + 8 * torch.rand(n, 1, generator=g)
            + 6 * torch.sin(2 * math.pi * (t / 1440 + torch.rand(n, 1, generator=g))))
    rh = 60 + 15 * torch.sin(2 * math.pi * (t / 900 + torch.rand(n, 1, generator=g)))
    for _ in range(3):
        start = torch.randint(0, T - 60, (n, 1), generator=g)
        width = 20 + 60 * torch.rand(n, 1, generator=g)
        rise = (t - start.float()).clamp(min=0)
        rh = rh + (95 - rh) * (rise < width).float() * (1 - torch.exp(-rise / 4))
    tau = 3 + 7 * torch.exp(-temp.clamp(min=0) / 8)
    r = torch.empty(n, T)
    r[:, 0] = rh[:, 0]
    for i in range(1, T):
        r[:, i] = r[:, i - 1] + (rh[:, i] - r[:, i - 1]) / tau[:, i]
    r = r + 0.6 * torch.randn(n, T, generator=g)
    return torch.stack([(r - 65) / 12, (temp - 16) / 5], 2), ((rh - 65) / 12).unsqueeze(2)


class HairLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(2, 24, batch_first=True)
        self.out = nn.Linear(24, 1)

    def forward(self, x, state=None):
        h, state = self.lstm(x, state)
        return self.out(h), state


def build():
    torch.manual_seed(0)
    return HairLSTM()


def main():
    from _twohundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = stations(32, g)
    xva, yva = stations(8, g)
    print("rh", ytr.min().item(), ytr.mean().item(), ytr.max().item())
    model = build()
    lr = 0.5
    fc = open(out / "hair_chunks.csv", "w")
    fv = open(out / "hair_val.csv", "w")
    fc.write("epoch,chunk,loss,grad_norm\n")
    fv.write("epoch,val_mse,val_rmse_pct\n")
    for epoch in range(EPOCHS):
        t0 = time.time()
        state = None
        for c in range(T // CHUNK):
            sl = slice(c * CHUNK, (c + 1) * CHUNK)
            pred, state = model(xtr[:, sl], state)  # carry the state into the next chunk
            loss = F.mse_loss(pred, ytr[:, sl])
            model.zero_grad()
            loss.backward(retain_graph=True)
            gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1e9).item()
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-lr)
            fc.write(f"{epoch},{c},{loss.item():.6f},{gn:.5f}\n")
        with torch.no_grad():
            vm = F.mse_loss(model(xva)[0], yva).item()
        fv.write(f"{epoch},{vm:.7f},{12 * math.sqrt(vm):.4f}\n")
        print(epoch, round(loss.item(), 6), round(gn, 4), round(vm, 7),
              f"{time.time() - t0:.2f}s")
    fc.close()
    fv.close()
    torch.save({"lstm_weights": model.state_dict(), "epoch": EPOCHS, "lr": lr,
                "chunk_len": CHUNK}, out / "hair_lstm.pth")
    finish(out, __file__, (xva[:, :CHUNK].repeat(8, 1, 1), yva[:, :CHUNK].repeat(8, 1, 1)),
           causes=["rnn_state_not_detached"], checkpoint="hair_lstm.pth", log="hair_chunks.csv",
           what="LSTM undoing a hair hygrometer's lag; truncated-BPTT state carried across"
                " chunks without detach (retain_graph)",
           complaint="Our model that corrects the hair hygrometers' lag trains slower and"
                     " slower as each epoch goes on: the first chunks of an epoch are quick,"
                     " the last ones crawl, and memory climbs until the epoch ends. A run of 40"
                     " epochs takes several times longer than the same model on the same data"
                     " took in our older script, and the fit is no better.")


if __name__ == "__main__":
    main()
