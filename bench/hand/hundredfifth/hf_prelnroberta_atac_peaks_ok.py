"""Hugging Face Trainer: a tiny pre-LayerNorm RoBERTa (``RobertaPreLayerNormConfig``: DNABERT-style
overlapping 6-mer tokens, vocab 5 specials + 4096 6-mers, hidden 32, 2 layers, 2 heads, built
from the config, no pre-training, no download) calls chromatin accessibility (ATAC-seq peak or
not) from 48-bp DNA windows. Synthetic genome: background windows with 42 % GC; an accessible
window carries two AP-1 sites (TGA[C/G]TCA, one base mutated in a third of them) at random
offsets on a GC-richer (50 %) background; 6 % of the training labels are wrong (peaks called
from a noisy replicate). AdamW 3e-3, weight decay 0.01, 20 warm-up steps then linear decay,
batch 32, 3 epochs of 1024 windows (96 steps), eval every 16 steps, train loss every 8 steps.
Healthy, after a plateau: the loss sits at ln 2 for ~40 steps (eval accuracy 0.46 / 0.54 at
steps 16 and 32), then drops: eval accuracy 0.89, 0.93, 0.89, 0.95 at step 96 with eval loss
0.17, below the last train losses 0.22–0.27 (the wrong labels only sit in training)."""
import torch
from transformers import (
    RobertaPreLayerNormConfig,
    RobertaPreLayerNormForSequenceClassification,
    Trainer,
    TrainingArguments,
)

L_SEQ, K = 48, 6
N_SPECIAL = 5  # <pad> <s> </s> <unk> <mask>, then the 4096 6-mers


def windows(n, g, flip=0.0):
    y = (torch.rand(n, generator=g) < 0.5).long()
    gc = 0.42 + 0.08 * y.float()
    u = torch.rand(n, L_SEQ, generator=g)
    strong = u < gc[:, None]
    pick = torch.rand(n, L_SEQ, generator=g) < 0.5
    seq = torch.where(strong, torch.where(pick, 5, 6), torch.where(pick, 4, 7))
    motif = torch.tensor([7, 6, 4, 5, 7, 5, 4])  # T G A C T C A
    for i in [i for i in torch.nonzero(y).flatten().tolist() for _ in range(2)]:
        m = motif.clone()
        if torch.rand(1, generator=g) < 0.5:
            m[3] = 6  # TGAGTCA
        if torch.rand(1, generator=g) < 0.33:
            j = int(torch.randint(0, 7, (1,), generator=g))
            m[j] = 4 + (m[j] - 4 + int(torch.randint(1, 4, (1,), generator=g))) % 4
        o = int(torch.randint(0, L_SEQ - 7, (1,), generator=g))
        seq[i, o:o + 7] = m
    base = seq - 4  # DNABERT-style overlapping 6-mers: token = 5 + the 6-mer's base-4 number
    kmers = sum(base[:, j:L_SEQ - K + 1 + j] * 4 ** (K - 1 - j) for j in range(K)) + 5
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), kmers, torch.full((n, 1), 2)], 1)
    wrong = torch.rand(n, generator=g) < flip
    return ids, torch.where(wrong, 1 - y, y)


class Peaks(torch.utils.data.Dataset):
    def __init__(self, ids, y):
        self.ids, self.y = ids, y

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones_like(self.ids[i]),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = RobertaPreLayerNormConfig(vocab_size=N_SPECIAL + 4 ** K, hidden_size=32, num_hidden_layers=2,
                                       num_attention_heads=2, intermediate_size=64,
                                       max_position_embeddings=L_SEQ + 8, pad_token_id=0,
                                       bos_token_id=1, eos_token_id=2, type_vocab_size=1,
                                       num_labels=2, id2label={0: "closed", 1: "peak"},
                                       label2id={"closed": 0, "peak": 1})
    return RobertaPreLayerNormForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _hundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = windows(1024, g, flip=0.06)
    xva, yva = windows(256, g)
    args = TrainingArguments(str(out / "atac"), num_train_epochs=3, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=8, eval_strategy="steps", eval_steps=16,
                             save_strategy="steps", save_steps=48, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Peaks(xtr, ytr),
                      eval_dataset=Peaks(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "atac").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny pre-LN RoBERTa ATAC peak caller on 48-bp DNA (6-mers), HF Trainer, 6 % label noise "
                "(healthy)")


if __name__ == "__main__":
    main()
