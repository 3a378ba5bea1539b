"""Plain torch: a small 2-D CNN with BatchNorm and dropout tells three kinds of barking apart in
a boarding kennel (alert, play, distress) from a 16×24 log-power spectrogram (16 frequency
bands × 24 frames) of a microphone clip: alert barks are short broadband bursts, play barks a
rhythmic series of mid-band pulses, distress a long high-band whine that drifts upward; kennel
noise (fans, other dogs) is added. The spectrogram is fed in dB as recorded (about -60 … 0,
the BatchNorm after the first conv is there to take care of the scale).
Conv(1→16)-BN-ReLU-pool, Conv(16→32)-BN-ReLU-pool, global average, dropout 0.3, Linear(32→3);
SGD momentum 0.9, lr 0.04, batch 32, 10 epochs of 960 clips.
The bug: ``model.eval()`` is called once before the loop to print a sanity prediction on one
clip and nothing ever switches the model back to training mode (the per-epoch validation only
wraps itself in ``torch.no_grad()``): BatchNorm normalises with its initial running stats
(mean 0, var 1) the whole run, so the dB-scaled input is never normalised, and dropout is off.
The raw dB activations (tens) go through the ReLUs at full size and the SGD step that is
right for a normalised net blows up. Numbers: epoch 1 train loss 1.31, val acc 0.40; epoch 2
train loss 0.36, val acc 0.996, val loss 0.023; epoch 3 the loss is NaN and stays NaN (every
weight NaN, val acc 0.332 = one class) to epoch 10. Control (``model.train()`` at the top of
each epoch): val acc 0.90 after epoch 1, 0.96–1.00 from epoch 2, train loss 0.011 and val loss
0.008 at epoch 10, no NaN."""
import torch
import torch.nn as nn
import torch.nn.functional as F

FB, FR = 16, 24


def clips(n, g):
    f = torch.arange(FB).float().view(FB, 1)
    t = torch.arange(FR).float().view(1, FR)
    y = torch.randint(0, 3, (n,), generator=g)
    t0 = torch.randint(0, 12, (n, 1, 1), generator=g).float()
    per = 3 + 2 * torch.rand(n, 1, 1, generator=g)
    alert = torch.exp(-((t - t0 - 2) ** 2) / 2.0).expand(n, FB, FR)
    play = (torch.cos(2 * torch.pi * (t - t0) / per) > 0.3).float() * torch.exp(-((f - 7) ** 2) / 6.0)
    ctr = 10 + (t - t0).clamp(min=0) * 0.2
    whine = ((t >= t0) & (t < t0 + 10)).float() * torch.exp(-((f - ctr) ** 2) / 2.0)
    k = y.view(n, 1, 1)
    spec = torch.where(k == 0, alert, torch.where(k == 1, play, whine)).unsqueeze(1)
    spec = spec + 0.15 * torch.rand(n, 1, 1, FR, generator=g) + 0.6 * torch.rand(spec.shape,
                                                                                  generator=g)
    return 20 * torch.log10(spec.clamp(min=1e-3)), y


class BarkNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(32)
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        return self.fc(self.drop(x.mean((2, 3))))


def build():
    torch.manual_seed(0)
    return BarkNet()


def main():
    from _hundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = clips(960, g)
    xva, yva = clips(256, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.04, momentum=0.9)
    model.eval()
    with torch.no_grad():
        print("sanity", model(xtr[:1]).softmax(1))
    with open(out / "barks.tsv", "w") as f:
        f.write("epoch\ttrain_loss\ttrain_acc\tvalid_loss\tvalid_acc\n")
        for epoch in range(1, 11):
            perm = torch.randperm(960, generator=g)
            tl = ta = 0.0
            for i in range(0, 960, 32):
                idx = perm[i:i + 32]
                logits = model(xtr[idx])
                loss = F.cross_entropy(logits, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tl += loss.item() * len(idx)
                ta += (logits.argmax(1) == ytr[idx]).sum().item()
            with torch.no_grad():
                lv = model(xva)
            vl = F.cross_entropy(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
            f.write(f"{epoch}\t{tl / 960:.4f}\t{ta / 960:.4f}\t{vl:.4f}\t{va:.4f}\n")
            print(epoch, round(tl / 960, 4), round(ta / 960, 4), round(vl, 4), round(va, 4))
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 10},
               out / "barknet.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="barknet.pth", log="barks.tsv",
           what="kennel bark-type CNN with BatchNorm trained entirely in eval mode",
           complaint=("Bark classifier for the kennel mics (alert / play / distress): epoch 2 looked"
                      " great, 99.6% val accuracy and val loss 0.023, then at epoch 3 the loss"
                      " turned into nan and stayed nan until the end; val accuracy is stuck at"
                      " 33% now. Inputs are the dB spectrograms straight from the recorder. Same"
                      " data, same seed, happens every time."))


if __name__ == "__main__":
    main()
