"""Hugging Face Trainer: a tiny ModernBERT masked-slice model (``ModernBertConfig``:
vocabulary 18, 48 wide, 2 layers, 4 heads, built from the config, no download;
``ModernBertForMaskedLM``) fills the gaps in a ditcher's record of the cut face of a new field
drain: 30 slices of 10 cm from the surface down, each named by the soil the spade met, some
left blank where the face slumped before it was written up. The layers follow the country:
vale (topsoil, loam, then clay), heath (topsoil, sand, then gravel), fen (peat, then clay)
and down (thin topsoil over chalk), each layer 1-9 slices thick; below the water table
(40-250 cm) a slice is written as the wet form of its soil. Tokens: 0 pad, 1 start, 2 mask,
3 end, 4-10 the 7 soils dry, 11-17 wet. 15 % of the slices of each record are masked (a fixed
draw per record, never start or end); the model must read the layer order and the water
table from the rest (a masked slice on a layer boundary is a guess).
AdamW 2e-3 with cosine decay and 24 warmup steps, weight decay 0.01, batch 24, 10 epochs of 1440
records, eval each epoch (every 60 steps) on 240 records (masked-slice accuracy and the
accuracy of the soil alone, wet or dry ignored), loss every 8 steps, checkpoint each epoch
(``cutface/checkpoint-N/`` with ``trainer_state.json``, the last 3 kept).
Healthy; numbers in the README."""
import torch
from transformers import ModernBertConfig, ModernBertForMaskedLM, Trainer, TrainingArguments

T = 30
LAYERS = {0: [4, 5, 7], 1: [4, 6, 8], 2: [9, 7], 3: [4, 10]}  # vale, heath, fen, down


def records(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    soil = torch.zeros(n, T, dtype=torch.long)
    country = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        seq = []
        kinds = LAYERS[int(country[i])]
        for j, k in enumerate(kinds):
            thick = T - len(seq) if j == len(kinds) - 1 else 1 + int(8 * r(1))
            if k == 4 and country[i] == 3:
                thick = 1 + int(2 * r(1))
            seq += [k] * thick
        soil[i] = torch.tensor(seq[:T])
    table = 4 + (21 * r(n, 1)).long()
    wet = torch.arange(T).unsqueeze(0) >= table
    tok = torch.where(wet, soil + 7, soil)
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), tok, torch.full((n, 1), 3)], 1)
    masked = torch.cat([torch.zeros(n, 1, dtype=torch.bool), r(n, T) < 0.15,
                        torch.zeros(n, 1, dtype=torch.bool)], 1)
    labels = torch.where(masked, ids, torch.full_like(ids, -100))
    return torch.where(masked, torch.full_like(ids, 2), ids), labels


class Faces(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 2, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = ModernBertConfig(vocab_size=18, hidden_size=48, num_hidden_layers=2,
                              num_attention_heads=4, intermediate_size=96,
                              max_position_embeddings=64, pad_token_id=0, bos_token_id=1,
                              cls_token_id=1, mask_token_id=2, eos_token_id=3, sep_token_id=3,
                              attention_dropout=0.0, mlp_dropout=0.0, embedding_dropout=0.0)
    return ModernBertForMaskedLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    soil = lambda t: (t - 4) % 7  # noqa: E731
    return {"masked_acc": float((p[m] == y[m]).mean()),
            "soil_acc": float((soil(p[m]) == soil(y[m])).mean())}


def main():
    from _threehundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = records(1440, g)
    iva, lva = records(240, g)
    print("masked share", (ltr != -100).float().mean().item())
    args = TrainingArguments(str(out / "cutface"), num_train_epochs=10, learning_rate=2e-3,
                             warmup_steps=24, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=240,
                             logging_steps=8, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=3, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Faces(itr, ltr),
                      eval_dataset=Faces(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "cutface").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ModernBERT masked-slice model filling gaps in a ditcher's record of a"
                " drain's cut face (soil layers and water table), HF Trainer (healthy)")


if __name__ == "__main__":
    main()
