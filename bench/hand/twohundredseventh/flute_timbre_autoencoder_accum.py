"""Plain torch: an autoencoder compresses a flute note's timbre, a 64-bin log-magnitude
spectrum (0–4 kHz) of a sustained note, to 8 numbers for a player's tone-practice app (the
reconstruction error flags an unusual tone). A spectrum has peaks at the fundamental (D4–D6)
and its harmonics, their strength falling off at a rate set by the player's embouchure
(brighter or darker tone), on a breath-noise floor whose level varies; ±1 bin of vibrato blur.
The spectra are standardised per bin.
MLP autoencoder 64→48→8→48→64 (ReLU), MSE; SGD momentum 0.9, lr 0.3, micro-batches of 16 with
gradients accumulated over 8 of them (an update every 128 spectra), 12 epochs of 2048 spectra.
Checkpoint ``weights`` / ``optimizer_state`` / ``epoch`` / ``updates``, log ``timbre_ae.jsonl``
(a JSON line every 4 updates with the update's mean micro-batch MSE, one per epoch with the
validation reconstruction MSE).
The bug: each micro-batch's ``loss.backward()`` adds its full gradient (the loss is not
divided by ``ACCUM``), so an update applies the sum of 8 gradients, an effective lr of 2.4
with momentum 0.9: the logged MSE is 0.91 and 0.97 at updates 4 and 8, 1.7e12 at update 12,
and the net never recovers: val MSE 7.3e21 after epoch 1, 7.7e20, 8.6e19, … 6.5e13 at 10,
1.2e13 at 12. Control (``(loss / ACCUM).backward()``): val MSE 0.633, 0.554, 0.525, … 0.300 at
10, 0.223 at epoch 12."""
import json
import math

import torch
import torch.nn as nn

B = 64
ACCUM = 8


def spectra(n, g):
    f0 = 293.7 * 2 ** (2 * torch.rand(n, 1, generator=g))
    bins = (torch.arange(B).float() + 0.5) * 4000 / B
    bright = 0.4 + 1.2 * torch.rand(n, 1, generator=g)
    floor = -4 + 1.5 * torch.rand(n, 1, generator=g)
    width = 40 + 40 * torch.rand(n, 1, generator=g)
    s = torch.zeros(n, B)
    for h in range(1, 14):
        amp = torch.exp(-(h - 1) / bright)
        s = s + amp * torch.exp(-((bins - h * f0) / width) ** 2)
    s = torch.log(s + math.exp(1) ** floor) + 0.1 * torch.randn(n, B, generator=g)
    return s


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(B, 48), nn.ReLU(), nn.Linear(48, 8), nn.ReLU(),
                         nn.Linear(8, 48), nn.ReLU(), nn.Linear(48, B))


def main():
    from _twohundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = spectra(2048 + 256, g)
    x = (x - x[:2048].mean(0)) / x[:2048].std(0)
    xtr, xva = x[:2048], x[2048:]
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr),
                                        batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9)
    log = open(out / "timbre_ae.jsonl", "w")
    updates, run = 0, 0.0
    for epoch in range(12):
        model.train()
        opt.zero_grad()
        for i, (xb,) in enumerate(train):
            loss = nn.functional.mse_loss(model(xb), xb)
            loss.backward()
            run += loss.item() / ACCUM
            if (i + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                updates += 1
                if updates % 4 == 0:
                    log.write(json.dumps({"update": updates, "mse": round(run, 4)}) + "\n")
                run = 0.0
        model.eval()
        with torch.no_grad():
            vl = nn.functional.mse_loss(model(xva), xva).item()
        log.write(json.dumps({"epoch": epoch + 1, "update": updates, "val_mse": round(vl, 4)})
                  + "\n")
        print(epoch + 1, round(vl, 4))
    log.close()
    torch.save({"weights": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 12, "updates": updates}, out / "timbre_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["grad_accum_unscaled"],
           checkpoint="timbre_ae.pt", log="timbre_ae.jsonl",
           what="flute timbre autoencoder, 8 accumulated micro-batch losses not divided by 8",
           complaint=("长笛音色自编码器（64个频段的对数频谱，压缩到8维），SGD 动量0.9，"
                      "学习率0.3，每16个样本一个micro-batch，累积8个再更新一次。前8次更新"
                      "MSE还是0.9左右，第12次更新就变成了1.7e12，之后再也没回来，"
                      "12个epoch后验证MSE是1.2e13。数据都标准化过了。是学习率太大吗？"
                      "可是0.3对这个网络应该不算大啊。"))


if __name__ == "__main__":
    main()
