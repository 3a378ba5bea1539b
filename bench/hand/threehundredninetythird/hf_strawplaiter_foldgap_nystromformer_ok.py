"""Hugging Face Trainer: a tiny Nyströmformer masked model (``NystromformerConfig``: vocabulary
10, 48 wide, 2 layers, 4 heads, 8 landmarks over a 32-token sequence, built from the config,
no download; ``NystromformerForMaskedLM``) fills the smudged entries of a straw plaiter's
fold book. A plaiter working an n-end plait (4-7 straws) folds the straws over in turn, so
the colour at each fold repeats every n folds; when a straw runs short (after 3-6 of its own folds)
she splices in a new one from her bundle, mostly of the same colour, sometimes of another
(natural, bleached, red, black, green), and from then on that place in the cycle carries
the new colour. The fold book records one colour per fold; 31 folds per line, one start
token in front (tokens: 0 pad, 1 start, 2 mask, 3-7 colours). 15 % of the folds of each
line are smudged (masked; a fixed draw per line, never the start token); the model must find
the plait's period and the colours in it from the rest.
AdamW 2e-3 with a cosine schedule and 16 warmup steps, weight decay 0.01, batch 64, 8 epochs
of 1024 lines (128 steps), eval each epoch on 320 lines (masked-fold accuracy, and accuracy
on the masked folds whose colour differs from the same place one cycle earlier, a splice),
loss every 5 steps, checkpoint each epoch, the last two kept (``foldbook/checkpoint-N/`` with
``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import NystromformerConfig, NystromformerForMaskedLM, Trainer, TrainingArguments

FOLDS = 31
COLOURS = 5


def fold_lines(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    ends = torch.randint(4, 8, (n,), generator=g)
    col = torch.zeros(n, FOLDS, dtype=torch.long)
    spliced = torch.zeros(n, FOLDS, dtype=torch.bool)
    for i in range(n):
        k = int(ends[i])
        straw = torch.randint(0, COLOURS, (k,), generator=g)
        # a plaiter favours two colours in a plait
        straw = torch.where(r(k) < 0.5, straw[0].expand(k), straw)
        left = (3 + 4 * r(k)).long()
        for f in range(FOLDS):
            s = f % k
            left[s] -= 1
            if left[s] <= 0:
                if r(1).item() < 0.35:
                    new = int(torch.randint(0, COLOURS, (1,), generator=g))
                    straw[s] = new
                left[s] = int(3 + 4 * r(1).item())
            col[i, f] = straw[s]
            spliced[i, f] = f >= k and bool(col[i, f] != col[i, f - k])
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), 3 + col], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, FOLDS) < 0.15], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    sp = torch.cat([torch.zeros(n, 1, dtype=torch.bool), spliced], 1)
    return torch.where(masked, torch.full_like(ids, 2), ids), labels, sp


class FoldBook(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = NystromformerConfig(vocab_size=3 + COLOURS + 2, hidden_size=48, num_hidden_layers=2,
                                 num_attention_heads=4, intermediate_size=96,
                                 max_position_embeddings=FOLDS + 8,
                                 segment_means_seq_len=FOLDS + 1, num_landmarks=8,
                                 hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                                 pad_token_id=0, bos_token_id=1, eos_token_id=2)
    return NystromformerForMaskedLM(config)


SPLICED = None


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    ms = m & SPLICED
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "spliced_acc": float((p[ms] == y[ms]).mean())}


def main():
    global SPLICED
    from _threehundredninetythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr, _ = fold_lines(1024, g)
    iva, lva, sva = fold_lines(320, g)
    SPLICED = sva.numpy()
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "foldbook"), num_train_epochs=8, learning_rate=2e-3,
                             warmup_steps=16, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=64, per_device_eval_batch_size=320,
                             logging_steps=5, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=FoldBook(itr, ltr),
                      eval_dataset=FoldBook(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "foldbook").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Nystromformer masked model filling smudged folds in a straw plaiter's"
                " fold book, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
