"""Hugging Face Trainer: a tiny VisualBERT (``VisualBertConfig``: vocabulary 12, hidden 32, 2
layers, 4 heads, visual embedding dim 6, 2 labels, built from the config, no download) makes an
orienteer's route choice on one leg: straight line or the path detour. The text side is the
terrain along the straight line as 12 tokens (runnable forest, rough open, marsh, cliff, green
thicket, ...); the "visual" side is 4 map-patch feature vectors along the detour (path quality,
climb, extra length, ...). The label is 1 (take the detour) when the straight line's cost
(cliffs count 2, marsh and thicket 1) beats the detour's cost (extra length + climb of the four
patches), so both streams matter. AdamW 2e-3, linear decay, batch 32, 8 epochs of 768 legs,
eval every 24 steps on 192 legs (accuracy), loss every 6 steps.
Healthy: numbers in the README (eval accuracy rises from the majority share to ~0.9)."""
import torch
from transformers import Trainer, TrainingArguments, VisualBertConfig, VisualBertForVisualReasoning

L_TOK, N_PATCH, D_VIS = 12, 4, 6
CLS, SEP = 1, 2  # 3 forest, 4 open, 5 marsh, 6 cliff, 7 thicket, 8 path; 0 pad unused
COST = torch.tensor([0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0]).float()


def legs(n, g):
    terrain = torch.multinomial(torch.tensor([0, 0, 0, .35, .2, .15, .1, .1, .1]), n * L_TOK,
                                replacement=True, generator=g).view(n, L_TOK)
    ids = torch.cat([torch.full((n, 1), CLS), terrain, torch.full((n, 1), SEP)], 1)
    vis = torch.randn(n, N_PATCH, D_VIS, generator=g)
    straight = COST[terrain].sum(1)
    detour = (1.5 + vis[:, :, 0].clamp(min=-1) + 0.5 * vis[:, :, 1].abs()).sum(1)
    return ids, vis, (straight > detour).long()


class Legs(torch.utils.data.Dataset):
    def __init__(self, ids, vis, y):
        self.ids, self.vis, self.y = ids, vis, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_TOK + 2, dtype=torch.long),
                "visual_embeds": self.vis[i],
                "visual_attention_mask": torch.ones(N_PATCH, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    config = VisualBertConfig(vocab_size=12, hidden_size=32, num_hidden_layers=2,
                              num_attention_heads=4, intermediate_size=64,
                              visual_embedding_dim=D_VIS, max_position_embeddings=32,
                              num_labels=2, pad_token_id=0)
    return VisualBertForVisualReasoning(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"acc": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, vtr, ytr = legs(768, g)
    iva, vva, yva = legs(192, g)
    print("detour share", ytr.float().mean().item(), yva.float().mean().item())
    args = TrainingArguments(str(out / "route"), num_train_epochs=8, learning_rate=2e-3,
                             weight_decay=0.01, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=96, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Legs(itr, vtr, ytr),
                      eval_dataset=Legs(iva, vva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "route").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "visual_embeds": vva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny VisualBERT choosing straight vs detour on orienteering legs from terrain"
                " tokens and map-patch features, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
