"""x-vector speaker identification of 20 call-centre agents from 48 frames of 24 filterbank
features: every agent has a spectral envelope (a smooth random curve plus two formant bumps)
and a pitch band that modulates alternate bands; an utterance adds a per-call channel tilt, a
syllable-rate loudness rhythm and frame noise. A TDNN: frame layers Conv1d 24 → 64 (context
5), 64 → 64 (context 3, dilation 2), 64 → 64 (1×1), ReLU after each; statistics pooling (mean
and standard deviation over time) → a 128-dim segment vector, the embedding layer 128 → 64
(the x-vector), ReLU, and a linear softmax layer over the 20 agents. Adam 1e-3, batch 32,
12 epochs of 800 utterances (40 per agent), 200 validation utterances from other calls; a CSV
per epoch ``Epoch,TrainLoss,TrainAcc,ValLoss,ValAcc``.
Bug: the weight-init helper applied with ``model.apply(init_weights)`` reads
``nn.init.zeros_(m.weight); nn.init.zeros_(m.bias)`` — the first line was meant to be
``kaiming_uniform_`` and was copy-pasted from the bias line. Every frame layer outputs exactly 0,
ReLU's gradient at 0 is 0, so no weight ever gets a gradient; only the softmax layer's bias
learns (the class prior). Train / val loss 2.9959 / 2.9957 (ln 20 = 2.9957) from epoch 2 on,
val accuracy 0.05 = chance. Control (``kaiming_uniform_`` weights): val accuracy 1.00 from epoch
4, val loss 0.0018 at the end."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATS, FRAMES, AGENTS = 24, 48, 20


def agents(g):
    band = torch.arange(FEATS).float()
    env = F.avg_pool1d(torch.randn(AGENTS, 1, FEATS + 4, generator=g), 5, 1)[:, 0] * 1.5
    centre = torch.rand(AGENTS, 2, generator=g) * FEATS
    bumps = torch.exp(-(band[None, None] - centre[..., None]) ** 2 / 6).sum(1)
    pitch = 0.5 + torch.rand(AGENTS, 1, generator=g)
    return env + bumps + pitch * (band % 2)


def utterances(profile, per_agent, g):
    n = AGENTS * per_agent
    spk = torch.arange(AGENTS).repeat_interleave(per_agent)
    band = torch.arange(FEATS).float()
    tilt = torch.randn(n, 1, 1, generator=g) * 0.04 * (band[None, :, None] - FEATS / 2)
    rate = 0.2 + 0.3 * torch.rand(n, 1, 1, generator=g)
    rhythm = torch.sin(torch.arange(FRAMES).float() * rate + 6.28 * torch.rand(n, 1, 1, generator=g))
    x = profile[spk][:, :, None] + tilt + 0.8 * rhythm + 1.2 * torch.randn(n, FEATS, FRAMES,
                                                                           generator=g)
    return x, spk


class XVector(nn.Module):
    def __init__(self):
        super().__init__()
        self.frame1 = nn.Conv1d(FEATS, 64, 5)
        self.frame2 = nn.Conv1d(64, 64, 3, dilation=2)
        self.frame3 = nn.Conv1d(64, 64, 1)
        self.segment = nn.Linear(128, 64)
        self.output = nn.Linear(64, AGENTS)

    def forward(self, x):
        h = F.relu(self.frame3(F.relu(self.frame2(F.relu(self.frame1(x))))))
        stats = torch.cat([h.mean(-1), (h.var(-1, unbiased=False) + 1e-5).sqrt()], 1)
        return self.output(F.relu(self.segment(stats)))


def init_weights(m):
    if isinstance(m, (nn.Conv1d, nn.Linear)):
        nn.init.zeros_(m.weight)
        nn.init.zeros_(m.bias)


def build():
    torch.manual_seed(0)
    model = XVector()
    model.apply(init_weights)
    return model


def main():
    from _seventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    prof = agents(g)
    xtr, ytr = utterances(prof, 40, g)
    xva, yva = utterances(prof, 10, g)
    mu, sd = xtr.mean((0, 2), keepdim=True), xtr.std((0, 2), keepdim=True)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    pv = torch.randperm(len(xva), generator=g)
    xva, yva = xva[pv], yva[pv]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "xvector_train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "TrainLoss", "TrainAcc", "ValLoss", "ValAcc"])
    for epoch in range(1, 13):
        model.train()
        tot, hit = 0.0, 0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            row = [epoch, round(tot / len(xtr), 4), round(hit / len(xtr), 4),
                   round(F.cross_entropy(logits, yva).item(), 4),
                   round((logits.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"tdnn_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": epoch, "feat_mean": mu.flatten(), "feat_std": sd.flatten()},
               out / "xvector_epoch12.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["zero_weight_init"],
           checkpoint="xvector_epoch12.pt", log="xvector_train_log.csv",
           what="x-vector TDNN agent identification, all weights initialised to zero",
           complaint="Our x-vector model for recognising which agent is speaking doesn't learn "
                     "at all: loss stays at 3.0 from the first epoch to the last and accuracy is "
                     "about 5 %, on train and validation. The features look fine when I plot them.")


if __name__ == "__main__":
    main()
