"""Multi-label tagger: 8 topic tags per document from a 200-word bag-of-words vector. The
MLP ends in nn.Sigmoid() (so predict() returns probabilities) and is trained with
BCEWithLogitsLoss, which applies the sigmoid a second time."""
import csv

import torch
import torch.nn as nn

N_WORDS, N_TAGS = 200, 8


def documents(n, seed):
    g = torch.Generator().manual_seed(seed)
    topic_words = torch.Generator().manual_seed(42)
    vocab_of = torch.rand(N_TAGS, N_WORDS, generator=topic_words) < 0.08  # words per topic
    tags = (torch.rand(n, N_TAGS, generator=g) < 0.25).float()
    rate = 0.02 + tags @ vocab_of.float() * 0.35
    counts = torch.poisson(rate * 3, generator=g)
    return torch.log1p(counts), tags


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(N_WORDS, 128), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(128, N_TAGS), nn.Sigmoid())


def micro_f1(probs, tags):
    pred = (probs > 0.5).float()
    tp = (pred * tags).sum()
    return (2 * tp / (pred.sum() + tags.sum())).item()


def main():
    from _fresh import finish, out_dir
    out = out_dir(__file__)
    x, y = documents(3000, 0)
    vx, vy = documents(600, 1)
    model = build()
    loss_fn = nn.BCEWithLogitsLoss()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=64,
                                         shuffle=True)
    rows = []
    for epoch in range(15):
        model.train()
        for xb, yb in loader:
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            logits = model(vx)  # already probabilities
            rows.append([epoch, loss.item(), loss_fn(logits, vy).item(),
                         micro_f1(logits, vy)])
        print(rows[-1])
    with open(out / "log.csv", "w", newline="") as f:
        csv.writer(f).writerows([["epoch", "loss", "val_loss", "val_micro_f1"], *rows])
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict()},
               out / "tagger_mlp.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["activation_before_softmax"],
           checkpoint="tagger_mlp.pt", log="log.csv",
           what="nn.Sigmoid() output layer fed to BCEWithLogitsLoss (sigmoid applied twice)",
           complaint="BCE loss stuck at 0.693 and F1 is zero, it predicts no tags")


if __name__ == "__main__":
    main()
