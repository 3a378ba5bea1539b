"""Plain torch: a deep MLP predicts whether a fern spore sowing germinates (green gametophyte
prothalli within three weeks, yes/no) from 8 culture conditions: temperature, daylight hours,
medium pH, substrate moisture, spore age (months), sterilisation time, sowing density and light
intensity. Germination needs warmth (best near 22 °C), a near-neutral pH (best near 6.3), moisture, long
and bright enough days, and young spores with a short bleach: a sowing germinates when a score
(two quadratic optima, linear terms for the rest) is positive, and 10 % of the outcomes are
flipped. About 45 % of sowings germinate.
Standardised inputs; ``make_mlp(8, 64, depth=6)``: six Linear(→64) layers with an activation
after each, Linear(64→1) head, ``BCEWithLogitsLoss``; SGD momentum 0.9 lr 0.05, batch 32, 20
epochs of 1536 sowings. A TSV per epoch (``epoch``, ``loss``, ``val_loss``, ``val_acc``);
checkpoint ``net`` / ``opt`` / ``step`` / ``epoch``.
The bug: ``make_mlp``'s activation default is ``act=nn.Sigmoid`` (the helper came from an old
logistic-units course notebook), so the six hidden layers are all sigmoids: the gradient
shrinks by ≤ 0.25 per layer and the first layers barely move. The net never leaves "predict the base rate": train loss 0.70–0.72 in the
first epochs, 0.685–0.693 for the rest of the 20 epochs, val loss 0.686–0.80, val accuracy 0.5586 (every sowing "fails") or 0.4414 (every sowing
"germinates"), 0.5586 at 20. Control (``act=nn.ReLU``): stuck at 0.5586 for 3 epochs, then val
accuracy 0.672 at 4, 0.81 at 6, 0.856 at 8, 0.82–0.84 at 20; val loss 0.686 → 0.41–0.47 (10 %
flipped labels cap it near 0.9)."""
import torch
import torch.nn as nn


def sowings(n, g):
    u = lambda a, b: a + (b - a) * torch.rand(n, generator=g)  # noqa: E731
    temp, hours, ph, moist = u(10, 34), u(6, 18), u(4, 8.5), u(0.2, 1.0)
    age, bleach, density, lux = u(0, 36), u(1, 15), u(0.5, 5), u(500, 4000)
    logit = 2.5 - ((temp - 22.5) / 4.5) ** 2 - ((ph - 6.3) / 1.1) ** 2 \
        + 3 * (moist - 0.5) + 0.25 * (hours - 10) + (lux - 1500) / 1500 \
        - 0.12 * (age - 12) - 0.2 * (bleach - 8)
    y = (logit > 0).float()
    y = torch.where(torch.rand(n, generator=g) < 0.1, 1 - y, y)
    x = torch.stack([temp, hours, ph, moist, age, bleach, density, lux], 1)
    return x, y


def make_mlp(n_in, width, depth, act=nn.Sigmoid):
    layers, d = [], n_in
    for _ in range(depth):
        layers += [nn.Linear(d, width), act()]
        d = width
    return nn.Sequential(*layers, nn.Linear(d, 1))


def build():
    torch.manual_seed(0)
    return make_mlp(8, 64, depth=6)


def main():
    from _twohundredsixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = sowings(1536 + 256, g)
    x = (x - x[:1536].mean(0)) / x[:1536].std(0)
    xtr, ytr, xva, yva = x[:1536], y[:1536], x[1536:], y[1536:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    loss_fn = nn.BCEWithLogitsLoss()
    lines, step = ["epoch\tloss\tval_loss\tval_acc"], 0
    for epoch in range(1, 21):
        model.train()
        perm = torch.randperm(1536, generator=g)
        total = 0.0
        for i in range(0, 1536, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]).squeeze(1), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            step += 1
        model.eval()
        with torch.no_grad():
            logits = model(xva).squeeze(1)
            vl = loss_fn(logits, yva).item()
            acc = ((logits > 0).float() == yva).float().mean().item()
        lines.append(f"{epoch}\t{total / 48:.4f}\t{vl:.4f}\t{acc:.4f}")
        print(lines[-1])
    (out / "germination.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": 20},
               out / "germination.pt")
    finish(out, __file__, (xva[:64], yva[:64, None]), causes=["saturating_activation"],
           checkpoint="germination.pt", log="germination.tsv",
           what="deep 6-layer MLP with sigmoid hidden units predicting fern spore germination",
           complaint=("Spore-germination model for our fern propagation trials (8 culture "
                      "conditions -> germinated yes/no, 1536 sowings). It trains for 20 epochs "
                      "and learns nothing: the loss sits at 0.69 from the first epoch to the "
                      "last, and val accuracy is 0.559 almost every epoch, which is exactly the "
                      "share of failed sowings, sometimes 0.441 instead. A greenhouse rule of "
                      "thumb on temperature, pH and moisture gets about 80 % right. I tried "
                      "20 epochs instead of 10 and it made no difference."))


if __name__ == "__main__":
    main()
